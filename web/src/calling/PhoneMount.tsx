import { effect, untracked } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { me } from '../auth/session';
import { CallScreen } from './CallScreen';
import { startPhone, stopPhone } from './phone';

let following = false;

/**
 * Starts the line the moment someone is known to be signed in, and stops it
 * when they sign out. A signal effect, not a component effect: when
 * `/api/me` answers, the credentials fetch starts right then, not after the
 * signed-in screens have rendered and their effects run (that wait measured
 * ~100 ms on a cold open). `main.tsx` calls it before the first render, so a
 * user remembered on this device starts fetching credentials and opening the
 * edge's socket while the page renders; the line itself loads SIP.js only
 * after first paint. Idempotent.
 */
export function followSession(): void {
  if (following) return;
  following = true;
  effect(() => {
    const signedIn = Boolean(me.value);
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
    followSession();
  }, []);
  return signedIn ? <CallScreen /> : null;
}
