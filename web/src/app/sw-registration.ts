import { signal } from '@preact/signals';
import type { Workbox } from 'workbox-window';

/** A new version is installed and waiting for the user's consent to take over. */
export const updateWaiting = signal(false);

let workbox: Workbox | undefined;

/**
 * Registers the service worker (production builds only) and watches for
 * updates. workbox-window is fetched here, after first paint, not with the page.
 */
export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const { Workbox } = await import('workbox-window');
  workbox = new Workbox('/sw.js', { scope: '/' });
  workbox.addEventListener('waiting', () => {
    updateWaiting.value = true;
  });
  void workbox.register();
  // Look for a new version now and then; a phone app stays open for days.
  setInterval(() => void workbox?.update(), 60 * 60 * 1000);
}

/**
 * Lets the waiting version take over, then reloads once it controls the page.
 * Callers check first that no call is in progress.
 */
export function applyUpdate(): void {
  if (!workbox) return;
  workbox.addEventListener('controlling', () => window.location.reload());
  workbox.messageSkipWaiting();
}
