import { signal } from '@preact/signals';
import type { Feature, Features } from '../../../shared/admin-limits';
import { api } from '../api/client';
import { coalesced } from '../api/coalesced';
import { me } from '../auth/session';
import { onUserChange } from '../auth/user-change';
import { onLiveEvent } from '../live/store';

/**
 * What the signed-in user's seat lets them use (`GET /api/me/features`);
 * undefined until first read. The one store of it: the navigation hides what
 * is off, the phone line stops when calling is off, the voicemail badge stops
 * counting; the server refuses it anyway. Lives here, beside the admin page
 * that changes it, until the features that use it move it somewhere shared.
 */
export const myFeatures = signal<Features | undefined>(undefined);

/** Whose features the read in flight asks for. */
let inFlightFor: string | undefined;

const readFeatures = coalesced(() => {
  const userId = me.value?.user.id;
  inFlightFor = userId;
  return api
    .get<Features>('/api/me/features')
    .then((features) => {
      // Signed out, or someone else signed in, meanwhile: this answer is not theirs.
      if (me.value?.user.id === userId) myFeatures.value = features;
    })
    .catch(() => {
      // Offline or signed out: keep what we knew; the server still enforces the licence.
    });
});

/**
 * Reads the user's features (at start, when a screen finds them unknown).
 * Joins a read already in flight: two screens asking at start make one request.
 * Another user's read (a sign-out and sign-in while it ran) is thrown away
 * when it answers, so theirs is read after it.
 */
export function loadMyFeatures(): Promise<void> {
  return readFeatures({ again: inFlightFor !== me.value?.user.id });
}

let following: (() => void) | undefined;

/**
 * Keeps `myFeatures` true to the signed-in user's seat: read when someone
 * signs in, forgotten when they sign out (another user's seat says nothing
 * about this one's), and read again on every `licence_changed` live event
 * (one the device missed while away is replayed when it reconnects).
 */
export function followMyFeatures(): () => void {
  if (following) return following;
  // A licence change is read at once, and again after any read in flight (its answer may predate the change), so what was turned off disappears.
  const stopEvents = onLiveEvent(() => void readFeatures({ again: true }), 'licence_changed');
  const stopSession = onUserChange((next, previous) => {
    if (previous) myFeatures.value = undefined;
    if (next) void loadMyFeatures();
  });
  following = () => {
    stopEvents();
    stopSession();
    following = undefined;
  };
  return following;
}

/** Whether to show a feature: until the features are known, show it (the server has the last word). */
export function featureShown(feature: Feature): boolean {
  return myFeatures.value?.[feature] ?? true;
}

/** The seat is known to lack this feature (not merely unknown yet). */
export function featureOff(feature: Feature): boolean {
  return myFeatures.value?.[feature] === false;
}
