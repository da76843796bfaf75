import { effect } from '@preact/signals';
import { render } from 'preact';
import { App } from './app/App';
import { registerServiceWorker } from './app/sw-registration';
import { registration } from './calling/line';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('#app is missing from index.html');
render(<App />, root);

// After first paint, and after the phone line has registered (or given up),
// at most 3 s after start: installing the service worker precaches every
// asset (~1 MB), which on a first visit competed with the credentials fetch
// and the SIP.js chunk for the same server. Nothing the first screen needs
// waits on the service worker.
const LINE_SETTLED = new Set(['ready', 'error', 'offline']);
let registered = false;
let stopWatching: (() => void) | undefined;
const register = () => {
  if (registered) return;
  registered = true;
  clearTimeout(cap);
  stopWatching?.();
  const go = () => void registerServiceWorker();
  if ('requestIdleCallback' in window) requestIdleCallback(go);
  else setTimeout(go, 0);
};
const cap = setTimeout(register, 3000);
stopWatching = effect(() => {
  if (LINE_SETTLED.has(registration.value)) queueMicrotask(register);
});
