/**
 * Where recordings live: a row in D1 (which business, which call record,
 * which R2 key) and the audio in R2 under a key made only of ids — no number,
 * no name, no Call-ID — so nothing personal leaks through bucket listings,
 * logs or a key that outlives its row.
 */
import { newId } from '../auth/tokens';

/** A recording's row. */
export interface RecordingRow {
  id: string;
  business_id: string;
  call_id: string;
  r2_key: string;
  duration_ms: number;
  size_bytes: number;
  state: 'uploading' | 'ready';
  created_at: number;
  updated_at: number;
}

/** A new recording's id and its R2 key (by business, so a business's audio can be found without the database). */
export function newRecordingKey(businessId: string): { id: string; key: string } {
  const id = newId('rec');
  return { id, key: `recordings/${businessId}/${id}.mp3` };
}

/** One ready recording of a business, or null: another business's id reads as absent. */
export function readyRecording(db: D1Database, businessId: string, id: string): Promise<RecordingRow | null> {
  return db
    .prepare("SELECT * FROM recordings WHERE business_id = ? AND id = ? AND state = 'ready'")
    .bind(businessId, id)
    .first<RecordingRow>();
}

/**
 * Deletes R2 objects, then their rows, for rows chosen by `where` (bound to
 * `params`), in chunks: the maintenance sweeps (abandoned uploads, retention).
 * Object first: a row whose object is gone would play as an error, an object
 * whose row is gone would never be found again.
 */
export async function deleteRecordingsWhere(env: Env, where: string, params: unknown[]): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { results } = await env.DB.prepare(`SELECT id, r2_key FROM recordings WHERE ${where} LIMIT 500`)
      .bind(...params)
      .all<{ id: string; r2_key: string }>();
    if (results.length === 0) return deleted;
    await env.AUDIO.delete(results.map((r) => r.r2_key));
    await env.DB.prepare('DELETE FROM recordings WHERE id IN (SELECT value FROM json_each(?))')
      .bind(JSON.stringify(results.map((r) => r.id)))
      .run();
    deleted += results.length;
    if (results.length < 500) return deleted;
  }
}
