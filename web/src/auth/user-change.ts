/**
 * Following who is signed in, for the features that keep a signed-in user's
 * data on the device (history, voicemail): they count for the new user and
 * wipe what the previous one left.
 */
import { effect } from '@preact/signals';
import type { Me } from '../../../shared/auth-api';
import { me } from './session';

/** The key a user's data on this device is kept under: `businessId:userId`. */
export function ownerKey(user: Me): string {
  return `${user.business.id}:${user.user.id}`;
}

/**
 * Calls `changed` once the session is known and again whenever another user
 * (or nobody: `null`) is signed in; `previous` is undefined the first time.
 * Runs inside an effect, as a signal read in `changed` reruns it. Returns the stop.
 */
export function onUserChange(changed: (next: string | null, previous: string | null | undefined) => void): () => void {
  let owner: string | null | undefined;
  return effect(() => {
    const current = me.value;
    if (current === undefined) return;
    const next = current ? ownerKey(current) : null;
    if (next === owner) return;
    const previous = owner;
    owner = next;
    changed(next, previous);
  });
}
