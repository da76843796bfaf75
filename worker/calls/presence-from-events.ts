import type { EdgeEvent } from '../../shared/calls-api';
import type { CallStateChange } from '../live/presence-model';
import { type CallRow, userIds } from './call-row';

type CallPeople = Pick<
  CallRow,
  'id' | 'call_id' | 'business_id' | 'caller_user_id' | 'rang_user_ids' | 'answered_user_id' | 'outcome' | 'ended_at'
>;

/**
 * Presence from the edge's call events, read from the calls' records as
 * those events have just rebuilt them, so the order events arrive in does not
 * matter and a late event for a call that is over (ended, failed, closed by
 * the sweep) cannot put anyone back on it:
 * - over: everyone the call involved is free of it;
 * - answered: the caller and whoever answered are on it, the others it rang
 *   are free of it (the voicemail service answering leaves the mailbox owner
 *   free: only the caller is talking);
 * - otherwise (started, ringing): the users it rings are ringing, the caller is on it.
 * Each business's LiveHub keeps every call apart, so a second call ringing
 * (call waiting) neither hides nor ends the first; states run out on their own
 * there, from the time of the call's latest event, so a lost end cannot leave
 * anyone on a call.
 */
export async function presenceFromEvents(env: Pick<Env, 'DB' | 'LIVE_HUB'>, events: EdgeEvent[]): Promise<void> {
  if (events.length === 0) return;
  const latest = new Map<string, number>();
  for (const e of events) latest.set(e.callId, Math.max(latest.get(e.callId) ?? 0, e.at));
  const { results } = await env.DB.prepare(
    `SELECT id, call_id, business_id, caller_user_id, rang_user_ids, answered_user_id, outcome, ended_at
       FROM calls WHERE call_id IN (SELECT value FROM json_each(?))`,
  )
    .bind(JSON.stringify([...latest.keys()]))
    .all<CallPeople>();

  const changes = new Map<string, CallStateChange[]>();
  for (const call of results) {
    const over = call.ended_at !== null;
    // A record gets its outcome when answered (or to voicemail) and its end when over; neither yet: still ringing.
    const answered = !over && call.outcome !== null;
    const states = new Map<string, CallStateChange['state']>();
    for (const user of userIds(call.rang_user_ids)) states.set(user, over || answered ? 'idle' : 'ringing');
    if (call.answered_user_id) states.set(call.answered_user_id, over ? 'idle' : 'on_call');
    if (call.caller_user_id) states.set(call.caller_user_id, over ? 'idle' : 'on_call');
    const list = changes.get(call.business_id) ?? [];
    for (const [userId, state] of states) list.push({ userId, callId: call.id, state, at: latest.get(call.call_id) });
    changes.set(call.business_id, list);
  }
  await Promise.all([...changes].map(([businessId, list]) => env.LIVE_HUB.getByName(businessId).setCallStates(list)));
}
