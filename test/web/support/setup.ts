import { cleanup, configure } from '@testing-library/preact';
import { afterEach, vi } from 'vitest';
import { me, meUnreachable } from '../../../web/src/auth/session';
// The dialer preloads libphonenumber with a fire-and-forget import() on mount; a test that
// ends first lets the file's environment close under that import (EnvironmentTeardownError,
// counted as a failure). Loaded here, that import is answered from the module cache.
import 'libphonenumber-js/min';

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
