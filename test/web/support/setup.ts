import { cleanup, configure } from '@testing-library/preact';
import { afterAll, afterEach, vi } from 'vitest';
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

// The app starts imports it does not wait for (SIP.js after first paint, libphonenumber when
// the dialer opens, lazy screens). One still loading when a file's last test ends would load
// into a torn-down environment (EnvironmentTeardownError, counted as a failure of the run).
afterAll(() => vi.dynamicImportSettled());
