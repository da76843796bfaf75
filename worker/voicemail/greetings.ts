import { type GreetingInfo, VOICEMAIL_API } from '../../shared/voicemail-api';
import { newId } from '../auth/tokens';
import type { StoredAudio } from './audio-store';
import type { Mailbox } from './messages';

/** A user's recorded greeting. */
export interface Greeting extends StoredAudio {
  durationMs: number;
  etag: string;
  updatedAt: number;
}

interface GreetingRow {
  r2_key: string;
  content_type: string;
  size: number;
  duration_ms: number;
  etag: string;
  updated_at: number;
}

const toGreeting = (row: GreetingRow): Greeting => ({
  key: row.r2_key,
  contentType: row.content_type,
  size: row.size,
  durationMs: row.duration_ms,
  etag: row.etag,
  updatedAt: row.updated_at,
});

/** The HTTP ETag of a greeting: changes whenever the greeting does. */
export const greetingEtag = (g: Pick<Greeting, 'etag'>) => `"${g.etag}"`;

/** What the app shows about the greeting callers hear. */
export function greetingInfo(g: Greeting | null): GreetingInfo {
  if (!g) return { kind: 'default', audioUrl: null, durationMs: null, updatedAt: null };
  return { kind: 'custom', audioUrl: `${VOICEMAIL_API}/greeting/audio`, durationMs: g.durationMs, updatedAt: g.updatedAt };
}

/** The user's own greeting, or null (the default). */
export async function greetingOf(db: D1Database, box: Mailbox): Promise<Greeting | null> {
  const row = await db
    .prepare('SELECT * FROM voicemail_greetings WHERE business_id = ? AND user_id = ?')
    .bind(box.businessId, box.userId)
    .first<GreetingRow>();
  return row ? toGreeting(row) : null;
}

/** A user's greeting for the edge, which knows only the user id. */
export async function greetingForEdge(db: D1Database, userId: string): Promise<Greeting | null> {
  const row = await db
    .prepare(
      `SELECT g.* FROM users u JOIN voicemail_greetings g ON g.business_id = u.business_id AND g.user_id = u.id
        WHERE u.id = ? AND u.status <> 'terminated'`,
    )
    .bind(userId)
    .first<GreetingRow>();
  return row ? toGreeting(row) : null;
}

/**
 * Makes `audio` (already in R2) the user's greeting. Returns it and the key
 * of the object it replaced, read in the same transaction as the write, so
 * two recordings saved at once each delete exactly what they replaced.
 */
export async function saveGreeting(
  db: D1Database,
  box: Mailbox,
  audio: StoredAudio,
  durationMs: number,
  now = Date.now(),
): Promise<{ greeting: Greeting; replacedKey: string | null }> {
  const greeting: Greeting = { ...audio, durationMs, etag: newId('grt'), updatedAt: now };
  const [previous] = await db.batch([
    db.prepare('SELECT r2_key FROM voicemail_greetings WHERE business_id = ? AND user_id = ?').bind(box.businessId, box.userId),
    db
      .prepare(
        `INSERT INTO voicemail_greetings (business_id, user_id, r2_key, content_type, size, duration_ms, etag, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (business_id, user_id) DO UPDATE SET
           r2_key = excluded.r2_key, content_type = excluded.content_type, size = excluded.size,
           duration_ms = excluded.duration_ms, etag = excluded.etag, updated_at = excluded.updated_at`,
      )
      .bind(box.businessId, box.userId, audio.key, audio.contentType, audio.size, durationMs, greeting.etag, now),
  ]);
  const replacedKey = ((previous?.results ?? []) as Array<{ r2_key: string }>)[0]?.r2_key ?? null;
  return { greeting, replacedKey };
}

/** Forgets the greeting whose audio was at `key` (not a newer one saved meanwhile). */
export async function deleteGreetingRow(db: D1Database, box: Mailbox, key: string): Promise<void> {
  await db
    .prepare('DELETE FROM voicemail_greetings WHERE business_id = ? AND user_id = ? AND r2_key = ?')
    .bind(box.businessId, box.userId, key)
    .run();
}
