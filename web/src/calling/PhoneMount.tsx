import { effect, untracked } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { Features } from '../../../shared/admin-limits';
import { myFeatures } from '../admin/my-features';
import { me } from '../auth/session';
import { CallScreen } from './CallScreen';
import { registration } from './line';
import { calls, restartPhone, startPhone, stopPhone } from './phone';

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
 *
 * It follows the seat too: once the features store says calling is off (read
 * at start, and again on each licence change), the line stops, which
 * unregisters this device; when calling comes back, it starts again. Until
 * the features are known the line starts anyway: the credentials route
 * refuses a seat without calling, and waiting for the features would delay
 * every open.
 */
export function followSession(): void {
  if (following) return;
  following = true;
  let lastFeatures: Features | undefined;
  // A restart that a call in progress put off (a restart hangs up every call).
  let restartOwed = false;
  effect(() => {
    const signedIn = Boolean(me.value);
    const features = myFeatures.value;
    // A call in progress is not cut off by a licence change: the line stops when it ends.
    const inCall = calls.value.length > 0;
    const freshFeatures = features !== lastFeatures;
    lastFeatures = features;
    untracked(() => {
      if (!signedIn) void stopPhone();
      else if (features?.calling === false) {
        if (!inCall) void stopPhone();
      } else if ((freshFeatures && features && registration.value === 'error') || restartOwed) {
        // Refused before this read said calling is on (turned on meanwhile, or back on during a call): try again,
        // once no call is in progress.
        restartOwed = inCall;
        if (!inCall && registration.value === 'error') void restartPhone();
      } else startPhone();
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
