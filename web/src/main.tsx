import { render } from 'preact';
import { App } from './app/App';
import { registerServiceWorker } from './app/sw-registration';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('#app is missing from index.html');
render(<App />, root);

// After first paint: nothing the first screen needs waits on the service worker.
const register = () => void registerServiceWorker();
if ('requestIdleCallback' in window) requestIdleCallback(register);
else setTimeout(register, 0);
