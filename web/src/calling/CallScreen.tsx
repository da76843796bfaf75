import { InCall } from './InCall';
import { IncomingCall } from './IncomingCall';
import { calls } from './phone';

/** Who a call is with, in words: the name their phone presents, else the number. */
function callerOf(call: { remoteDisplayName?: string; remote: string }): string {
  return call.remoteDisplayName ?? call.remote;
}

/**
 * Every live call on one panel over the app: the ringing ones to answer or
 * decline (a waiting call while in another), and the active ones' controls.
 */
export function CallScreen() {
  const list = calls.value;
  if (list.length === 0) return null;
  const ringing = list.filter((c) => c.state.value === 'incoming');
  const active = list.filter((c) => c.state.value !== 'incoming');
  return (
    <div class="call-screen">
      {ringing.map((call) => (
        <IncomingCall key={call.id} call={call} caller={callerOf(call)} waiting={active.length > 0} />
      ))}
      {active.map((call) => (
        <InCall key={call.id} call={call} caller={callerOf(call)} />
      ))}
    </div>
  );
}
