import { render } from 'preact';
import { App } from './app/App';
import { afterLineSettles } from './app/after-line';
import { registerServiceWorker } from './app/sw-registration';
import { followSession } from './calling/PhoneMount';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('#app is missing from index.html');
// Before the first render: a user remembered on this device gets their line's
// credentials fetched (and the edge's socket opened) while the page renders.
followSession();
render(<App />, root);

// After first paint, and after the phone line has registered (or given up),
// at most 3 s after start: installing the service worker precaches every
// asset (~1 MB), which on a first visit competed with the credentials fetch
// and the SIP.js chunk for the same server. Nothing the first screen needs
// waits on the service worker.
afterLineSettles(() => {
  const go = () => void registerServiceWorker();
  if ('requestIdleCallback' in window) requestIdleCallback(go);
  else setTimeout(go, 0);
}, 3000);
