import { effect, signal } from '@preact/signals';
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

/**
 * The server said this version is too old (the live channel refused it). A
 * plain reload would be answered from the service worker's cache with this
 * same version, so ask for the new service worker first and let it take
 * over; reload anyway when none is found in `waitMs` (no service worker in
 * development; a cache that is somehow current). Callers check first that no
 * call is in progress.
 */
export async function updateAndReload(waitMs = 10_000): Promise<void> {
  if (workbox && !(await hasWaitingWorker())) {
    void workbox.update().catch(() => {});
    await becomesTrue(() => updateWaiting.value, waitMs);
  }
  if (workbox && (await hasWaitingWorker())) applyUpdate();
  else window.location.reload();
}

/** Whether a new version is installed and waiting (whatever the prompt shows: "Later" hides it, it still waits). */
async function hasWaitingWorker(): Promise<boolean> {
  return Boolean((await navigator.serviceWorker.getRegistration())?.waiting);
}

/** Resolves once `condition` (read in an effect) holds, or after `ms`. */
function becomesTrue(condition: () => boolean, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let stop: (() => void) | undefined;
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      stop?.();
      resolve();
    }
    stop = effect(() => {
      if (condition()) queueMicrotask(done);
    });
  });
}
