import type { HistoryCall, HistoryFilter, HistoryPage } from '../../shared/calls-api';
import { displayName } from '../../shared/contacts-names';
import { type CallRow, userIds } from './call-row';
import { type CallKey, encodeCursor, NEWEST } from './cursor';

/** Whose history: every query is scoped by both. */
export interface HistoryOwner {
  businessId: string;
  userId: string;
}

/** A record joined with what its history line needs, in one query. */
type PartyRow = CallRow & {
  party_role: 'caller' | 'callee';
  party_missed: number;
  caller_name: string | null;
  answered_name: string | null;
  target_name: string | null;
  /** JSON {f, l, c} of the user's contact for remote_number, if any. */
  contact_json: string | null;
};

const FILTERS: Record<HistoryFilter, string> = {
  all: '',
  missed: 'AND p.missed = 1',
  incoming: "AND p.role = 'callee'",
  outgoing: "AND p.role = 'caller'",
};

/**
 * One page of the user's own calls, newest first, in one D1 query: the
 * colleagues' names and the contact for each remote number are joined in
 * (one round trip per page, measured: a lookup per number cost ~75 ms a
 * page). The contact is chosen as the contacts feature's `contactByE164`
 * chooses it (a favourite first, then the most recently changed).
 *
 * Keyset over the party's (routed_at, call id), which never change once
 * written: calls added while someone pages through land before the first
 * page, never inside a later one, so no call is skipped or shown twice.
 */
export async function historyPage(
  db: D1Database,
  owner: HistoryOwner,
  options: { filter: HistoryFilter; after: CallKey | null; limit: number },
): Promise<HistoryPage> {
  const after = options.after ?? NEWEST;
  const { results } = await db
    .prepare(
      `SELECT c.*, p.role AS party_role, p.missed AS party_missed,
              cu.name AS caller_name, au.name AS answered_name, tu.name AS target_name,
              (SELECT json_object('f', k.first_name, 'l', k.last_name, 'c', k.company)
                 FROM contact_numbers kn JOIN contacts k ON k.business_id = kn.business_id AND k.user_id = kn.user_id AND k.id = kn.contact_id
                WHERE kn.business_id = ?1 AND kn.user_id = ?2 AND kn.e164 = c.remote_number AND k.deleted_at IS NULL
                ORDER BY k.favourite DESC, k.updated_at DESC LIMIT 1) AS contact_json
         FROM call_parties p
         JOIN calls c ON c.business_id = p.business_id AND c.id = p.call_id
         LEFT JOIN users cu ON cu.business_id = c.business_id AND cu.id = c.caller_user_id
         LEFT JOIN users au ON au.business_id = c.business_id AND au.id = c.answered_user_id
         LEFT JOIN users tu ON tu.business_id = c.business_id AND tu.id = json_extract(c.target_user_ids, '$[0]')
        WHERE p.business_id = ?1 AND p.user_id = ?2 ${FILTERS[options.filter]}
          AND (p.routed_at, p.call_id) < (?3, ?4)
        ORDER BY p.routed_at DESC, p.call_id DESC
        LIMIT ?5`,
    )
    .bind(owner.businessId, owner.userId, after.routedAt, after.id, options.limit + 1)
    .all<PartyRow>();
  const page = results.slice(0, options.limit);
  const last = page.at(-1);
  const next = results.length > options.limit && last ? encodeCursor({ routedAt: last.routed_at, id: last.id }) : null;
  return { calls: page.map((row) => toHistoryCall(row, owner.userId)), next };
}

/** The contact's name as the contacts feature shows it, from the joined JSON. */
function contactName(row: PartyRow): string | null {
  if (!row.contact_json || !row.remote_number) return null;
  const k = JSON.parse(row.contact_json) as { f: string; l: string; c: string };
  return displayName({ firstName: k.f, lastName: k.l, company: k.c, numbers: [{ value: row.remote_number }] });
}

/** A record seen from one party's side. */
export function toHistoryCall(row: PartyRow, userId: string): HistoryCall {
  const outgoing = row.party_role === 'caller';
  const names = new Map<string, string>();
  if (row.caller_user_id && row.caller_name) names.set(row.caller_user_id, row.caller_name);
  if (row.answered_user_id && row.answered_name) names.set(row.answered_user_id, row.answered_name);
  const firstTarget = userIds(row.target_user_ids)[0] ?? null;
  if (firstTarget && row.target_name) names.set(firstTarget, row.target_name);
  const person = (id: string | null) => (id ? { userId: id, name: names.get(id) ?? 'Former colleague' } : null);
  let colleague = null;
  if (row.direction === 'internal') {
    const other = outgoing ? (row.answered_user_id ?? firstTarget) : row.caller_user_id;
    colleague = other && other !== userId ? person(other) : null;
  }
  return {
    id: row.id,
    kind: row.direction,
    direction: outgoing ? 'outgoing' : 'incoming',
    startedAt: row.started_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    durationSeconds: Math.round(row.duration_ms / 1000),
    outcome: row.outcome,
    missed: row.party_missed === 1,
    remoteNumber: row.remote_number,
    ourNumber: row.our_number,
    contactName: contactName(row),
    colleague,
    answeredBy: outgoing ? null : person(row.answered_user_id),
    answeredDevice: outgoing ? null : row.answered_device,
    callBack: row.remote_number ?? colleague?.userId ?? null,
  };
}

/** How many missed calls the user has not looked at yet (the navigation's badge). */
export async function unseenMissed(db: D1Database, owner: HistoryOwner): Promise<number> {
  return (
    (await db
      .prepare('SELECT COUNT(*) AS n FROM call_parties WHERE business_id = ? AND user_id = ? AND missed = 1 AND seen = 0')
      .bind(owner.businessId, owner.userId)
      .first<number>('n')) ?? 0
  );
}

/** Marks the user's missed calls up to `through` as seen; returns how many were still unseen. */
export async function markSeen(db: D1Database, owner: HistoryOwner, through: number): Promise<number> {
  const res = await db
    .prepare('UPDATE call_parties SET seen = 1 WHERE business_id = ? AND user_id = ? AND missed = 1 AND seen = 0 AND routed_at <= ?')
    .bind(owner.businessId, owner.userId, through)
    .run();
  return res.meta.changes;
}
