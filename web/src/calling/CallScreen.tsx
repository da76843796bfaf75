import type { PhoneCall } from './call';
import { useCallerName } from './caller-name';
import { InCall } from './InCall';
import { IncomingCall } from './IncomingCall';
import { calls } from './phone';

function Incoming({ call, waiting }: { call: PhoneCall; waiting: boolean }) {
  return <IncomingCall call={call} caller={useCallerName(call.remote, call.remoteDisplayName)} waiting={waiting} />;
}

function Active({ call }: { call: PhoneCall }) {
  return <InCall call={call} caller={useCallerName(call.remote, call.remoteDisplayName)} />;
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
        <Incoming key={call.id} call={call} waiting={active.length > 0} />
      ))}
      {active.map((call) => (
        <Active key={call.id} call={call} />
      ))}
    </div>
  );
}
