/**
 * The unheard-voicemail count for the navigation and the app icon. Asked of
 * the server when someone signs in, on each `new_voicemail` live event and
 * when the app comes back online; the inbox screen sets it from what it
 * loads. Small on purpose: it is in the first bundle, the inbox screen and
 * its database are not.
 */
import { effect, signal, untracked } from '@preact/signals';
import { myFeatures } from '../admin/my-features';
import { onUserChange } from '../auth/user-change';
import { onLiveEvent } from '../live/store';
import { voicemailAllowed } from './voicemail-feature';
import { getInbox } from './voicemail-http';

/** Voicemail messages not yet played (0 when unknown, or when the seat has no voicemail). */
export const unheardVoicemail = signal(0);

let asking = 0;

/** Asks the server for the count; keeps the last one when it cannot be asked (offline). */
export async function refreshUnheard(): Promise<void> {
  const ticket = ++asking;
  try {
    if (!(await voicemailAllowed())) {
      if (ticket === asking) unheardVoicemail.value = 0;
      return;
    }
    const { unheard } = await getInbox();
    if (ticket === asking) unheardVoicemail.value = unheard;
  } catch {
    // Offline, signed out or refused: the badge keeps what it showed.
  }
}

/** The inbox screen loaded (or changed) the list: its count wins over any question still in flight. */
export function setUnheard(count: number): void {
  asking++;
  unheardVoicemail.value = Math.max(0, count);
}

let following: (() => void) | undefined;

/**
 * Follows who is signed in: counts their unheard messages, recounts on
 * `new_voicemail`, when their seat's voicemail is turned off or on (the
 * features store, `admin/my-features.ts`, rereads it on a licence change)
 * and on reconnect. On sign-out clears the count and wipes the device's
 * cached inbox.
 */
export function followVoicemail(): void {
  if (following) return;
  const stopVoicemail = onLiveEvent(() => void refreshUnheard(), 'new_voicemail');
  // Only a change between two known answers: the first answer for a user is awaited by the count that sign-in starts.
  let known = myFeatures.peek()?.voicemail;
  const stopFeatures = effect(() => {
    const voicemail = myFeatures.value?.voicemail;
    const before = known;
    known = voicemail;
    if (voicemail !== undefined && before !== undefined && voicemail !== before) untracked(() => void refreshUnheard());
  });
  const online = () => void refreshUnheard();
  window.addEventListener('online', online);
  const stopSession = onUserChange((next, previous) => {
    unheardVoicemail.value = 0;
    if (next) void refreshUnheard();
    // Someone signed out (or another user in): their messages leave this device.
    if (previous && typeof indexedDB !== 'undefined') void import('./voicemail-db').then((m) => m.wipeVoicemail()).catch(() => {});
  });
  following = () => {
    stopVoicemail();
    stopFeatures();
    stopSession();
    window.removeEventListener('online', online);
  };
}

/** Stops following (tests). */
export function stopFollowingVoicemail(): void {
  following?.();
  following = undefined;
}
