import { signal } from '@preact/signals';
import type { Feature, Features } from '../../../shared/admin-limits';
import type { LiveEvent } from '../../../shared/live-protocol';
import { api } from '../api/client';
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

let inFlight: Promise<void> | undefined;
/** Whose features the read in flight asks for. */
let inFlightFor: string | undefined;
/** A licence changed while a read was in flight: its answer may predate the change, so read once more after it. */
let again = false;

/**
 * Reads the user's features (at start, when a screen finds them unknown).
 * Joins a read already in flight: two screens asking at start make one request.
 */
export function loadMyFeatures(): Promise<void> {
  const userId = me.value?.user.id;
  if (inFlight) {
    // Another user's read (a sign-out and sign-in while it ran) is thrown away when it answers: read theirs after it.
    if (inFlightFor !== userId) again = true;
    return inFlight;
  }
  inFlightFor = userId;
  inFlight = api
    .get<Features>('/api/me/features')
    .then((features) => {
      // Signed out, or someone else signed in, meanwhile: this answer is not theirs.
      if (me.value?.user.id === userId) myFeatures.value = features;
    })
    .catch(() => {
      // Offline or signed out: keep what we knew; the server still enforces the licence.
    })
    .finally(() => {
      inFlight = undefined;
      if (again) {
        again = false;
        void loadMyFeatures();
      }
    });
  return inFlight;
}

/** The live channel's handler: a licence change is read at once (after any read in flight), so what was turned off disappears. */
export function onLicenceEvent(event: LiveEvent): void {
  if (event.kind !== 'licence_changed') return;
  if (inFlight) again = true;
  else void loadMyFeatures();
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
  const stopEvents = onLiveEvent(onLicenceEvent, 'licence_changed');
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
