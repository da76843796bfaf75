/**
 * The missed-call badge in the navigation: how many missed calls the user has
 * not looked at. Asked of the server when someone signs in, when a
 * `missed_call` live event arrives and when the app comes back online;
 * cleared when the history screen has shown them. Small on purpose: it is
 * in the first bundle, the history screen and its database are not.
 */
import { signal } from '@preact/signals';
import type { UnseenMissed } from '../../../shared/calls-api';
import { api } from '../api/client';
import { onUserChange } from '../auth/user-change';
import { onLiveEvent } from '../live/store';

/** Missed calls not yet seen (0 when unknown). */
export const unseenMissed = signal(0);

let asking = 0;

/** Asks the server for the count; keeps the last one when it cannot be asked (offline). */
export async function refreshUnseenMissed(): Promise<void> {
  const ticket = ++asking;
  try {
    const { count } = await api.get<UnseenMissed>('/api/calls/unseen-missed');
    if (ticket === asking) unseenMissed.value = count;
  } catch {
    // Offline or signed out: the badge keeps what it showed.
  }
}

/** The history screen showed the user their calls: the badge clears, here and on the server. */
export async function markMissedSeen(): Promise<void> {
  asking++;
  unseenMissed.value = 0;
  try {
    const { count } = await api.post<UnseenMissed>('/api/calls/seen');
    unseenMissed.value = count;
  } catch {
    // Offline: it clears on the server next time the screen opens online.
  }
}

let following: (() => void) | undefined;

/**
 * Follows who is signed in: counts their missed calls, recounts on each
 * `missed_call` event and on reconnect; on sign-out clears the badge and
 * wipes this device's cached history.
 */
export function followMissedCalls(): void {
  if (following) return;
  const stopEvents = onLiveEvent(() => void refreshUnseenMissed(), 'missed_call');
  const online = () => void refreshUnseenMissed();
  window.addEventListener('online', online);
  const stopSession = onUserChange((next, previous) => {
    unseenMissed.value = 0;
    if (next) void refreshUnseenMissed();
    // Someone signed out (or another user in): their calls leave this device.
    if (previous && typeof indexedDB !== 'undefined') void import('./history-db').then((m) => m.wipeHistory()).catch(() => {});
  });
  following = () => {
    stopEvents();
    stopSession();
    window.removeEventListener('online', online);
  };
}

/** Stops following (tests). */
export function stopFollowingMissedCalls(): void {
  following?.();
  following = undefined;
}
