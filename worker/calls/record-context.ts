import type { RouteDecision, RouteRequest } from '../edge/route-types';
import { reject } from '../edge/route-types';
import { newCallRecordId } from './record-ids';
import type { RouteNotes } from './route-notes';

/** What a stored record's routing columns must match for a repeated route request to be the same call. */
interface ExistingCall {
  source: string;
  from_user: string;
  dialled: string;
}

/**
 * Writes the call's record as the routing decision is made, keyed by the SIP
 * Call-ID: the business, the direction, who calls whom, the number used on
 * our side and the decision. The edge's events are attributed through it, so
 * the edge is never trusted to say whose call it was. Written before the
 * answer goes back, so no event can arrive before its record.
 *
 * A Call-ID names one call forever: the same request again (a retry) keeps
 * the first record; a different call reusing a known Call-ID is refused,
 * so nobody can slip their call into someone else's record.
 */
export async function recordCall(
  db: D1Database,
  request: RouteRequest,
  decision: RouteDecision,
  notes: RouteNotes,
  now = Date.now(),
): Promise<RouteDecision> {
  if (!notes.businessId || !notes.direction) return decision;
  const id = newCallRecordId();
  const targets = notes.targets ?? [];
  const rang = decision.action === 'ring' ? decision.targets : [];
  const code = decision.action === 'reject' || decision.action === 'block' ? decision.code : null;
  const parties = [
    ...(notes.callerUserId ? [{ user: notes.callerUserId, role: 'caller' }] : []),
    // Someone calling their own number is one party.
    ...targets.filter((t) => t !== notes.callerUserId).map((user) => ({ user, role: 'callee' })),
  ];
  const [inserted] = await db.batch<{ id: string }>([
    db
      .prepare(
        `INSERT INTO calls (id, business_id, call_id, direction, source, from_user, dialled, caller_user_id, remote_number, our_number,
                            target_user_ids, rang_user_ids, action, decision_code, plan, routed_at, started_at, updated_at)
         SELECT ?1, b.id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, b.plan, ?14, ?14, ?14
           FROM businesses b WHERE b.id = ?15
         ON CONFLICT (call_id) DO NOTHING
         RETURNING id`,
      )
      .bind(
        id,
        request.callId,
        notes.direction,
        request.source,
        request.fromUser,
        request.to,
        notes.callerUserId ?? null,
        notes.remoteNumber ?? null,
        notes.ourNumber ?? null,
        JSON.stringify(targets),
        JSON.stringify(rang),
        decision.action,
        code,
        now,
        notes.businessId,
      ),
    // Only if the record above was written (it is the only row with this id).
    db
      .prepare(
        `INSERT INTO call_parties (business_id, user_id, call_id, role, routed_at)
         SELECT c.business_id, p.value ->> 'user', c.id, p.value ->> 'role', c.routed_at
           FROM calls c, json_each(?2) p WHERE c.business_id = ?1 AND c.id = ?3`,
      )
      .bind(notes.businessId, JSON.stringify(parties), id),
  ]);
  if ((inserted?.results.length ?? 0) > 0) return decision;

  const existing = await db
    .prepare('SELECT source, from_user, dialled FROM calls WHERE call_id = ?')
    .bind(request.callId)
    .first<ExistingCall>();
  // No record at all: the business vanished between the two statements; nothing to protect.
  if (!existing) return decision;
  const same = existing.source === request.source && existing.from_user === request.fromUser && existing.dialled === request.to;
  return same ? decision : reject(403, 'Call-ID already used');
}
