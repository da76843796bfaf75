import { displayName } from '../../shared/contacts-names';
import { VOICEMAIL_API, type VoicemailInbox, type VoicemailMessage } from '../../shared/voicemail-api';
import type { StoredAudio } from './audio-store';

/** Whose mailbox: every query is scoped by both. */
export interface Mailbox {
  businessId: string;
  userId: string;
}

/** The most messages one inbox answer lists (newest first); the unheard count covers them all. */
export const INBOX_LIMIT = 500;

/** A message as the inbox query returns it: the caller's names joined in. */
interface MessageRow {
  id: string;
  from_number: string | null;
  from_user_id: string | null;
  from_user_name: string | null;
  received_at: number;
  duration_ms: number;
  heard_at: number | null;
  /** JSON {f, l, c} of the owner's contact for from_number, if any. */
  contact_json: string | null;
}

/**
 * The owner's messages with what the inbox shows, in one query: the
 * colleague's name, and the owner's contact for the number chosen as the
 * contacts feature's `contactByE164` (and the call history) choose it: a
 * favourite first, then the most recently changed.
 */
const MESSAGES_SQL = `
  SELECT m.id, m.from_number, m.from_user_id, fu.name AS from_user_name, m.received_at, m.duration_ms, m.heard_at,
         (SELECT json_object('f', k.first_name, 'l', k.last_name, 'c', k.company)
            FROM contact_numbers kn JOIN contacts k ON k.business_id = kn.business_id AND k.user_id = kn.user_id AND k.id = kn.contact_id
           WHERE kn.business_id = m.business_id AND kn.user_id = m.user_id AND kn.e164 = m.from_number AND k.deleted_at IS NULL
           ORDER BY k.favourite DESC, k.updated_at DESC LIMIT 1) AS contact_json
    FROM voicemail_messages m
    LEFT JOIN users fu ON fu.business_id = m.business_id AND fu.id = m.from_user_id
   WHERE m.business_id = ?1 AND m.user_id = ?2`;

function toMessage(row: MessageRow): VoicemailMessage {
  let contactName: string | null = null;
  if (row.contact_json && row.from_number) {
    const k = JSON.parse(row.contact_json) as { f: string; l: string; c: string };
    contactName = displayName({ firstName: k.f, lastName: k.l, company: k.c, numbers: [{ value: row.from_number }] });
  }
  return {
    id: row.id,
    fromNumber: row.from_number,
    fromUser: row.from_user_id ? { userId: row.from_user_id, name: row.from_user_name ?? 'Former colleague' } : null,
    contactName,
    receivedAt: row.received_at,
    durationMs: row.duration_ms,
    heard: row.heard_at !== null,
    audioUrl: `${VOICEMAIL_API}/${row.id}/audio`,
  };
}

/** The owner's inbox, newest first, and how many are unheard; one round trip. */
export async function inbox(db: D1Database, box: Mailbox): Promise<VoicemailInbox> {
  const [list, count] = await db.batch([
    db.prepare(`${MESSAGES_SQL} ORDER BY m.received_at DESC, m.id DESC LIMIT ?3`).bind(box.businessId, box.userId, INBOX_LIMIT),
    db
      .prepare('SELECT COUNT(*) AS n FROM voicemail_messages WHERE business_id = ? AND user_id = ? AND heard_at IS NULL')
      .bind(box.businessId, box.userId),
  ]);
  return {
    messages: ((list?.results ?? []) as MessageRow[]).map(toMessage),
    unheard: ((count?.results ?? []) as Array<{ n: number }>)[0]?.n ?? 0,
  };
}

/** One of the owner's messages, or null (another user's message is as absent as one that never existed). */
export async function messageOf(db: D1Database, box: Mailbox, id: string): Promise<VoicemailMessage | null> {
  const row = await db.prepare(`${MESSAGES_SQL} AND m.id = ?3`).bind(box.businessId, box.userId, id).first<MessageRow>();
  return row ? toMessage(row) : null;
}

/** Where one of the owner's messages keeps its audio, or null. */
export async function messageAudio(db: D1Database, box: Mailbox, id: string): Promise<StoredAudio | null> {
  const row = await db
    .prepare('SELECT r2_key, size, content_type FROM voicemail_messages WHERE business_id = ? AND user_id = ? AND id = ?')
    .bind(box.businessId, box.userId, id)
    .first<{ r2_key: string; size: number; content_type: string }>();
  return row ? { key: row.r2_key, size: row.size, contentType: row.content_type } : null;
}

/** Marks a message heard (keeping the first time) or unheard; false when the owner has no such message. */
export async function setHeard(db: D1Database, box: Mailbox, id: string, heard: boolean, now = Date.now()): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE voicemail_messages SET heard_at = CASE WHEN ?4 THEN COALESCE(heard_at, ?5) ELSE NULL END
        WHERE business_id = ?1 AND user_id = ?2 AND id = ?3`,
    )
    .bind(box.businessId, box.userId, id, heard ? 1 : 0, now)
    .run();
  return res.meta.changes > 0;
}

/** Deletes the row of a message whose audio is already gone. */
export async function deleteMessageRow(db: D1Database, box: Mailbox, id: string): Promise<void> {
  await db
    .prepare('DELETE FROM voicemail_messages WHERE business_id = ? AND user_id = ? AND id = ?')
    .bind(box.businessId, box.userId, id)
    .run();
}
