import { useEffect } from 'preact/hooks';
import { me } from '../auth/session';
import { CallScreen } from './CallScreen';
import { startPhone, stopPhone } from './phone';

/** Starts the phone line once someone is signed in, stops it when they sign out, and shows live calls. */
export function PhoneMount() {
  const signedIn = Boolean(me.value);
  useEffect(() => {
    if (signedIn) startPhone();
    else void stopPhone();
  }, [signedIn]);
  return signedIn ? <CallScreen /> : null;
}
