import { defineMachine } from './state-machine';

/**
 * One call, from either side. Outgoing: dialing → ringing (the far end rings)
 * → established; incoming: incoming (we ring) → answering → established.
 * Held is a state of an established call. Every call ends in `ended` with an
 * outcome kept beside the state.
 */
export type CallState = 'dialing' | 'ringing' | 'incoming' | 'answering' | 'established' | 'held' | 'ending' | 'ended';

export type CallEvent =
  | 'progress'
  | 'accepted'
  | 'answer'
  | 'hold'
  | 'held'
  | 'resume'
  | 'resumed'
  | 'hangup'
  | 'rejected'
  | 'cancelled'
  | 'answered_elsewhere'
  | 'failed'
  | 'terminated';

/** How a call ended, for the UI and the caller's feedback. */
export type CallOutcome = 'completed' | 'declined' | 'busy' | 'unavailable' | 'missed' | 'answered_elsewhere' | 'cancelled' | 'failed';

/** An outgoing call starts in `dialing`; an incoming one in `incoming`. */
export const callMachine = defineMachine<CallState, CallEvent>('call', 'dialing', {
  dialing: { progress: 'ringing', accepted: 'established', rejected: 'ended', failed: 'ended', hangup: 'ending', terminated: 'ended' },
  ringing: { progress: 'ringing', accepted: 'established', rejected: 'ended', failed: 'ended', hangup: 'ending', terminated: 'ended' },
  incoming: {
    answer: 'answering',
    hangup: 'ending',
    cancelled: 'ended',
    answered_elsewhere: 'ended',
    failed: 'ended',
    terminated: 'ended',
  },
  answering: { accepted: 'established', failed: 'ended', cancelled: 'ended', hangup: 'ending', terminated: 'ended' },
  // `hold` asks; `held` is the far end's confirmation (the re-INVITE's answer).
  established: { hold: 'established', held: 'held', hangup: 'ending', terminated: 'ended', failed: 'ended' },
  held: { resume: 'held', resumed: 'established', hangup: 'ending', terminated: 'ended', failed: 'ended' },
  ending: { terminated: 'ended', failed: 'ended' },
  ended: {},
});

/** Whether a call in this state counts as in progress (blocks a service-worker update, rings no second ringtone). */
export function isLive(state: CallState): boolean {
  return state !== 'ended';
}
