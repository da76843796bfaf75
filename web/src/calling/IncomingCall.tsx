import type { PhoneCall } from './call';
import { answerCall } from './phone';

/** A ringing call: who it is, answer and decline, reachable by keyboard. */
export function IncomingCall({ call, caller, waiting }: { call: PhoneCall; caller: string; waiting: boolean }) {
  return (
    <section class="incoming-call" role="alertdialog" aria-labelledby={`incoming-${call.id}`} aria-describedby={`incoming-${call.id}-what`}>
      <p id={`incoming-${call.id}-what`} class="muted">
        {waiting ? 'Another call is waiting' : 'Incoming call'}
      </p>
      <h2 id={`incoming-${call.id}`} class="caller">
        {caller}
      </h2>
      <div class="call-actions">
        {/* biome-ignore lint/a11y/noAutofocus: the person must be able to answer at once from the keyboard */}
        <button type="button" class="answer" autoFocus onClick={() => void answerCall(call)}>
          {waiting ? 'Answer and hold current' : 'Answer'}
        </button>
        <button type="button" class="hangup" onClick={() => void call.hangup()}>
          Decline
        </button>
      </div>
    </section>
  );
}
