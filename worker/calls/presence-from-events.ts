import type { EdgeEvent } from '../../shared/calls-api';

interface CallPeople {
  call_id: string;
  business_id: string;
  caller_user_id: string | null;
  rang_user_ids: string;
  answered_user_id: string | null;
}

type CallState = 'idle' | 'ringing' | 'on_call';

/**
 * Presence from the edge's call events: the users a call rings are
 * `ringing`, the caller and whoever answered are `on_call`, and everyone
 * involved is idle again when it ends or fails. Each business's LiveHub gets
 * the changes (states expire on their own there, so a lost end event cannot
 * leave anyone on a call).
 */
export async function presenceFromEvents(env: Pick<Env, 'DB' | 'LIVE_HUB'>, events: EdgeEvent[]): Promise<void> {
  if (events.length === 0) return;
  const ids = [...new Set(events.map((e) => e.callId))];
  const { results } = await env.DB.prepare(
    `SELECT call_id, business_id, caller_user_id, rang_user_ids, answered_user_id FROM calls WHERE call_id IN (${ids.map(() => '?').join(', ')})`,
  )
    .bind(...ids)
    .all<CallPeople>();
  const calls = new Map(results.map((r) => [r.call_id, r]));
  const changes = new Map<string, Map<string, CallState>>();
  const set = (businessId: string, userId: string | null | undefined, state: CallState) => {
    if (!userId) return;
    if (!changes.has(businessId)) changes.set(businessId, new Map());
    changes.get(businessId)?.set(userId, state);
  };
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    const call = calls.get(event.callId);
    if (!call) continue;
    const rang = JSON.parse(call.rang_user_ids) as string[];
    if (event.type === 'start' || event.type === 'ringing') {
      for (const user of rang) set(call.business_id, user, 'ringing');
      set(call.business_id, call.caller_user_id, 'on_call');
    } else if (event.type === 'answer') {
      for (const user of rang) set(call.business_id, user, 'idle');
      // The voicemail service taking the call leaves the mailbox owner free: only the caller is talking.
      if (!event.voicemail) set(call.business_id, call.answered_user_id ?? event.user, 'on_call');
      set(call.business_id, call.caller_user_id, 'on_call');
    } else {
      for (const user of [...rang, call.answered_user_id, call.caller_user_id]) set(call.business_id, user, 'idle');
    }
  }
  await Promise.all(
    [...changes].flatMap(([businessId, users]) => {
      const hub = env.LIVE_HUB.getByName(businessId);
      return [...users].map(([userId, state]) => hub.setCallState(userId, state));
    }),
  );
}
