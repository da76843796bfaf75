import type { CallOutcome, EdgeEvent } from '../../shared/calls-api';
import { type CallRow, userIds } from './call-row';

/** The columns of a record that come from the edge's events (the rest is the routing decision). */
export interface BuiltCall {
  started_at: number;
  ringing_at: number | null;
  answered_at: number | null;
  answered_user_id: string | null;
  answered_contact: string | null;
  ended_at: number | null;
  ended_by: CallRow['ended_by'];
  final_code: number | null;
  outcome: CallOutcome | null;
  duration_ms: number;
  events: number;
}

/** The routing columns the build reads. */
export type RoutedCall = Pick<CallRow, 'direction' | 'action' | 'decision_code' | 'routed_at' | 'target_user_ids' | 'rang_user_ids'>;

/**
 * Builds a record from its routing decision and every event the edge sent
 * for it, in any order, each at most once. Pure and deterministic: the same
 * events give the same record however often and in whatever order they
 * arrived, so ingestion simply rebuilds. `sweptAt` closes a call the edge
 * never finished telling us about, from what is known.
 */
export function buildCall(call: RoutedCall, events: EdgeEvent[], sweptAt?: number): BuiltCall {
  const first = (type: EdgeEvent['type']) =>
    events.filter((e) => e.type === type).reduce<EdgeEvent | undefined>((a, e) => (!a || e.at < a.at ? e : a), undefined);
  const start = first('start');
  const ringing = first('ringing');
  const answer = first('answer');
  const end = first('end');
  const failed = first('failed');

  const times = events.map((e) => e.at);
  const startedAt = start?.at ?? (times.length > 0 ? Math.min(...times) : call.routed_at);
  // A BYE only exists in an answered dialog: an end without its answer (lost or late) still means answered.
  const answered = Boolean(answer) || (Boolean(end) && !failed);
  // The voicemail service answering is nobody answering: the caller reached a mailbox. A call the
  // Worker sent straight to voicemail (do-not-disturb) that ended without its answer event went there too.
  // Only calls for our users reach a mailbox: the edge cannot turn an outbound call into one.
  const toVoicemail = call.direction !== 'outbound' && (answer ? answer.voicemail === true : answered && call.action === 'voicemail');
  // The edge names who answered; only someone the Worker asked to ring counts (never another business's user).
  const allowed = new Set([...userIds(call.target_user_ids), ...userIds(call.rang_user_ids)]);
  const answeredUser = !toVoicemail && answer?.user && allowed.has(answer.user) ? answer.user : null;

  const built: BuiltCall = {
    started_at: startedAt,
    ringing_at: ringing?.at ?? null,
    answered_at: toVoicemail ? null : (answer?.at ?? null),
    answered_user_id: answeredUser,
    answered_contact: answeredUser || (call.direction === 'outbound' && !toVoicemail) ? (answer?.contact ?? null) : null,
    ended_at: null,
    ended_by: null,
    final_code: null,
    outcome: null,
    duration_ms: 0,
    events: events.length,
  };

  if (answered) {
    built.outcome = toVoicemail ? 'voicemail' : 'answered';
    if (end) {
      built.ended_at = end.at;
      built.ended_by = end.by ?? 'edge';
    } else if (sweptAt !== undefined) {
      // Nobody told us when it ended: closed where the last thing we know happened (no time billed we cannot show).
      built.ended_at = Math.max(startedAt, ...times);
      built.ended_by = 'sweep';
    }
    // Time connected, to a person or to the mailbox (greeting and message), as the edge reports it. Calls
    // reach voicemail only inbound or between colleagues, which cost nothing (rebuild.ts prices outbound only).
    const connectedAt = answer?.at ?? null;
    if (connectedAt !== null && built.ended_at !== null) built.duration_ms = Math.max(0, built.ended_at - connectedAt);
    return built;
  }
  if (failed) {
    built.outcome = failureOutcome(call, failed.code);
    built.final_code = failed.code ?? null;
    built.ended_at = failed.at;
    built.ended_by = failed.code === 487 ? 'caller' : failed.code === 486 || failed.code === 603 ? 'callee' : 'edge';
    return built;
  }
  if (sweptAt !== undefined) {
    built.outcome = sweptOutcome(call, Boolean(ringing));
    built.ended_at = Math.max(startedAt, ...times);
    built.ended_by = 'sweep';
  }
  return built;
}

/** What a final failure means, given what the Worker decided. */
export function failureOutcome(call: Pick<RoutedCall, 'action' | 'direction'>, code: number | undefined): CallOutcome {
  if (call.action === 'block') return 'blocked';
  if (call.action === 'voicemail') return 'voicemail';
  switch (code) {
    case 486:
    case 600:
      // Busy, whoever said it: the phone network, the Worker (do-not-disturb without voicemail), a
      // device of ours, or the edge for a ring without voicemail that nobody answered (edge/README.md).
      // A person declining is 603 (the app declines with it, so busy can go to voicemail).
      return 'busy';
    case 603:
      return 'declined';
    case 408:
    case 480:
    case 487:
      return 'missed';
    default:
      return 'failed';
  }
}

/** A call the edge never ended, closed by the sweep: what its decision and the events so far say. */
function sweptOutcome(call: RoutedCall, rang: boolean): CallOutcome {
  if (call.action === 'block') return 'blocked';
  if (call.action === 'voicemail') return 'voicemail';
  if (call.action === 'reject') return failureOutcome(call, call.decision_code ?? undefined);
  return rang ? 'missed' : 'failed';
}
