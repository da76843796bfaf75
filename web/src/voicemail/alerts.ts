/**
 * Telling the user outside the page: a notification for a new voicemail or
 * a missed call while the app is hidden, and the unheard-plus-missed count on
 * the app icon. In the first bundle, so it stays small: the notification
 * itself (names, formatting) is fetched when one is due.
 */
import { effect } from '@preact/signals';
import type { LiveEvent } from '../../../shared/live-protocol';
import { unseenMissed } from '../history/missed-badge';
import { onLiveEvent } from '../live/store';
import { unheardVoicemail } from './unheard';

/** What the app icon shows: unheard messages plus unseen missed calls (each counted where it is kept). */
export function appBadgeCount(unheard: number, missed: number): number {
  return Math.max(0, unheard) + Math.max(0, missed);
}

function showAppBadge(count: number): void {
  // Installed PWAs on Chromium and Safari; elsewhere there is no icon to badge.
  if (typeof navigator === 'undefined' || !('setAppBadge' in navigator)) return;
  void (count > 0 ? navigator.setAppBadge(count) : navigator.clearAppBadge()).catch(() => {});
}

/** Events worth a notification when nobody is looking at the app. */
export function isAlertEvent(event: LiveEvent): event is Extract<LiveEvent, { kind: 'new_voicemail' | 'missed_call' }> {
  return event.kind === 'new_voicemail' || event.kind === 'missed_call';
}

/**
 * The service worker found this page open when a notification was clicked
 * (sw.ts, `OPEN_URL`): go there in the app, without the reload that
 * `client.navigate()` would cause, which would drop a call in progress.
 */
function openFromNotification(event: MessageEvent): void {
  const data = event.data as { type?: unknown; url?: unknown } | null;
  if (data?.type !== 'OPEN_URL' || typeof data.url !== 'string') return;
  // Only a path in this app.
  if (!data.url.startsWith('/') || data.url.startsWith('//')) return;
  if (location.pathname + location.search === data.url) return;
  history.pushState(null, '', data.url);
  // preact-iso's router follows popstate.
  dispatchEvent(new PopStateEvent('popstate'));
}

/** Starts the notifications, the icon badge and notification clicks; returns the disposer. */
export function followAlerts(): () => void {
  const stopEvents = onLiveEvent((event) => {
    if (!isAlertEvent(event) || document.visibilityState !== 'hidden') return;
    void import('./notify').then((m) => m.notify(event)).catch(() => {});
  });
  const stopBadge = effect(() => showAppBadge(appBadgeCount(unheardVoicemail.value, unseenMissed.value)));
  const sw = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined;
  sw?.addEventListener('message', openFromNotification);
  return () => {
    stopEvents();
    stopBadge();
    sw?.removeEventListener('message', openFromNotification);
  };
}
