/// <reference lib="webworker" />
import { cacheNames } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

// The shell: every built file, each with its revision, so a new build
// re-downloads only what changed.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every app URL opens the cached shell, online or not. The API is never
// answered from this cache: stale data there would be wrong, not slow.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//] }));

// A new version waits until the page says the user agreed (never mid-call).
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// Take control of pages opened before this worker existed (first install).
// Old versions' caches (anything but the current precache) are deleted.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([cacheNames.precache, cacheNames.runtime]);
      for (const name of await caches.keys()) if (!keep.has(name)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

// A voicemail or missed-call notification was clicked (shown by the page,
// web/src/voicemail/notify.ts): bring an open window forward and let the
// page route itself (navigating the window would reload it and drop a call
// in progress), or open one when none is left.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const wanted = (event.notification.data as { url?: unknown } | null)?.url;
  const url = typeof wanted === 'string' && wanted.startsWith('/') && !wanted.startsWith('//') ? wanted : '/';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (!open) {
        await self.clients.openWindow(url);
        return;
      }
      await open.focus();
      open.postMessage({ type: 'OPEN_URL', url });
    })(),
  );
});
