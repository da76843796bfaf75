import { effect, signal, untracked } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { me } from '../auth/session';
import { CallScreen } from './CallScreen';
import { startPhone, stopPhone } from './phone';

/** Set once the app has painted: the line (and SIP.js) never start before first paint. */
const painted = signal(false);
let following = false;

/**
 * Starts the line the moment someone is known to be signed in, and stops it
 * when they sign out. A signal effect, not a component effect: when
 * `/api/me` answers, the credentials fetch and SIP.js load start right then,
 * not after the signed-in screens have rendered and their effects run (that
 * wait measured ~100 ms on a cold open).
 */
function followSession(): void {
  if (following) return;
  following = true;
  effect(() => {
    const signedIn = painted.value && Boolean(me.value);
    untracked(() => {
      if (signedIn) startPhone();
      else void stopPhone();
    });
  });
}

/** Starts the phone line once someone is signed in, stops it when they sign out, and shows live calls. */
export function PhoneMount() {
  const signedIn = Boolean(me.value);
  useEffect(() => {
    painted.value = true;
    followSession();
  }, []);
  return signedIn ? <CallScreen /> : null;
}
