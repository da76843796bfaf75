import type { RecordingInfo } from '../../shared/admin-api';
import type { CallKind } from '../../shared/calls-api';

/** The most recordings listed at once. */
export const RECORDINGS_LIMIT = 200;

interface ListedRow {
  id: string;
  call_id: string;
  duration_ms: number;
  size_bytes: number;
  created_at: number;
  direction: CallKind | null;
  started_at: number | null;
  remote_number: string | null;
  our_number: string | null;
  caller_user_id: string | null;
  caller_name: string | null;
  answered_user_id: string | null;
  answered_name: string | null;
}

/**
 * A business's ready recordings, newest first, each with its call's time and
 * parties from the call record (joined by primary key, names from this
 * business's users: cheap at this page size). A recording whose record is
 * gone is still listed, so it can still be played and deleted.
 */
export async function listRecordings(db: D1Database, businessId: string): Promise<RecordingInfo[]> {
  const { results } = await db
    .prepare(
      `SELECT r.id, r.call_id, r.duration_ms, r.size_bytes, r.created_at,
              c.direction, c.started_at, c.remote_number, c.our_number,
              c.caller_user_id, cu.name AS caller_name, c.answered_user_id, au.name AS answered_name
         FROM recordings r
         LEFT JOIN calls c ON c.business_id = r.business_id AND c.id = r.call_id
         LEFT JOIN users cu ON cu.business_id = c.business_id AND cu.id = c.caller_user_id
         LEFT JOIN users au ON au.business_id = c.business_id AND au.id = c.answered_user_id
        WHERE r.business_id = ? AND r.state = 'ready'
        ORDER BY r.created_at DESC, r.id DESC LIMIT ${RECORDINGS_LIMIT}`,
    )
    .bind(businessId)
    .all<ListedRow>();
  const person = (id: string | null, name: string | null) => (id ? { userId: id, name: name ?? 'Former user' } : null);
  return results.map((r) => ({
    id: r.id,
    callId: r.call_id,
    durationMs: r.duration_ms,
    bytes: r.size_bytes,
    createdAt: r.created_at,
    kind: r.direction,
    startedAt: r.started_at,
    remoteNumber: r.remote_number,
    ourNumber: r.our_number,
    caller: person(r.caller_user_id, r.caller_name),
    answeredBy: person(r.answered_user_id, r.answered_name),
  }));
}
