import type { AdminCallRecord } from '../../shared/calls-api';
import type { CallRow } from './call-row';
import type { CallKey } from './cursor';

/** A UTC day range as [from, to) in ms: `to` is the end of its day. */
export function dayRange(range: { from: string; to: string }): { from: number; to: number } {
  return { from: Date.parse(`${range.from}T00:00:00Z`), to: Date.parse(`${range.to}T00:00:00Z`) + 86_400_000 };
}

/** The columns an admin record shows: only these are read, so a page of the export stays small (export.ts). */
const COLUMNS = [
  'id',
  'call_id',
  'direction',
  'routed_at',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_ms',
  'outcome',
  'ended_by',
  'final_code',
  'remote_number',
  'our_number',
  'caller_user_id',
  'answered_user_id',
  'answered_device',
  'plan',
  'billable_seconds',
  'rate_prefix',
  'rate_millicents_per_minute',
  'cost_cents',
] as const satisfies ReadonlyArray<keyof CallRow>;
const SELECTED = COLUMNS.map((c) => `c.${c}`).join(', ');

/** A record with its caller's and answerer's names (this business's users). */
export type NamedCallRow = Pick<CallRow, (typeof COLUMNS)[number]> & { caller_name: string | null; answered_name: string | null };

/** Which records: one business, a time window on routed_at, optionally one user's (as a party). */
export interface RecordScope {
  businessId: string;
  from: number;
  to: number;
  userId?: string;
}

/**
 * A page of the business's records in key order, after (or before) a key.
 * With a user, only calls that user was a party to (their history's index).
 */
export async function recordsPage(db: D1Database, scope: RecordScope, options: { after: CallKey; limit: number; order: 'asc' | 'desc' }) {
  const cmp = options.order === 'desc' ? '<' : '>';
  const dir = options.order === 'desc' ? 'DESC' : 'ASC';
  const names = `LEFT JOIN users cu ON cu.business_id = c.business_id AND cu.id = c.caller_user_id
                 LEFT JOIN users au ON au.business_id = c.business_id AND au.id = c.answered_user_id`;
  const sql = scope.userId
    ? `SELECT ${SELECTED}, cu.name AS caller_name, au.name AS answered_name
         FROM call_parties p JOIN calls c ON c.business_id = p.business_id AND c.id = p.call_id ${names}
        WHERE p.business_id = ?1 AND p.user_id = ?6 AND p.routed_at >= ?2 AND p.routed_at < ?3
          AND (p.routed_at, p.call_id) ${cmp} (?4, ?5)
        ORDER BY p.routed_at ${dir}, p.call_id ${dir} LIMIT ?7`
    : `SELECT ${SELECTED}, cu.name AS caller_name, au.name AS answered_name FROM calls c ${names}
        WHERE c.business_id = ?1 AND c.routed_at >= ?2 AND c.routed_at < ?3 AND ?6 IS NULL
          AND (c.routed_at, c.id) ${cmp} (?4, ?5)
        ORDER BY c.routed_at ${dir}, c.id ${dir} LIMIT ?7`;
  const { results } = await db
    .prepare(sql)
    .bind(scope.businessId, scope.from, scope.to, options.after.routedAt, options.after.id, scope.userId ?? null, options.limit)
    .all<NamedCallRow>();
  return results;
}

/** A record as the admin API and the JSON export show it. */
export function toAdminRecord(row: NamedCallRow): AdminCallRecord {
  const person = (id: string | null, name: string | null) => (id ? { userId: id, name: name ?? 'Former user' } : null);
  return {
    id: row.id,
    sipCallId: row.call_id,
    kind: row.direction,
    startedAt: row.started_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    durationSeconds: Math.round(row.duration_ms / 1000),
    outcome: row.outcome,
    endedBy: row.ended_by,
    finalCode: row.final_code,
    remoteNumber: row.remote_number,
    ourNumber: row.our_number,
    caller: person(row.caller_user_id, row.caller_name),
    answeredBy: person(row.answered_user_id, row.answered_name),
    answeredDevice: row.answered_device,
    plan: row.plan,
    billableSeconds: row.billable_seconds,
    ratePrefix: row.rate_prefix,
    rateMillicentsPerMinute: row.rate_millicents_per_minute,
    costCents: row.cost_cents,
  };
}
