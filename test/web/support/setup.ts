import { cleanup, configure } from '@testing-library/preact';
import { afterEach, vi } from 'vitest';
import { me, meUnreachable } from '../../../web/src/auth/session';

// Lazy screens are compiled on first import: give them time.
configure({ asyncUtilTimeout: 4000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  localStorage.clear();
  me.value = undefined;
  meUnreachable.value = false;
  history.replaceState(null, '', '/');
});
