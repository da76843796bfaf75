import { effect } from '@preact/signals';
import { registration } from '../calling/line';
import type { RegistrationState } from '../calling/registration-machine';
import { afterNextPaint } from './after-paint';

/** Where the line has finished starting, for better or worse. */
const SETTLED: RegistrationState[] = ['ready', 'error', 'offline'];

/**
 * Runs `then` once the phone line has settled (registered, failed, offline),
 * or `orWhen` (read in an effect, so signals it reads count) holds, and at
 * most `capMs` later. On a warm open the line's credentials fetch and REGISTER
 * are what the person waits for; the first screen's other requests (live
 * channel, badges, features, the `/api/me` re-check, the service worker's
 * precache) otherwise reach the same local server and the same main thread
 * at the same moment and delay them. Returns a cancel.
 */
export function afterLineSettles(then: () => void, capMs: number, { orWhen }: { orWhen?: () => boolean } = {}): () => void {
  let done = false;
  let stopWatching: (() => void) | undefined;
  const cancel = () => {
    done = true;
    clearTimeout(cap);
    stopWatching?.();
  };
  const run = () => {
    if (done) return;
    cancel();
    then();
  };
  const cap = setTimeout(run, capMs);
  stopWatching = effect(() => {
    // After the frame that shows the line's new state: this work would otherwise hold it back (5–80 ms on a warm open).
    if (SETTLED.includes(registration.value) || orWhen?.()) void afterNextPaint().then(run);
  });
  return cancel;
}
