import { normaliseNumber } from '../../shared/contacts-numbers';
import type { EdgeVoicemailUpload } from '../../shared/voicemail-api';
import { newId } from '../auth/tokens';
import type { StoredAudio } from './audio-store';
import type { Mailbox } from './messages';
import { callIdUsed } from './problems';

/** A mailbox the edge may leave a message in, with the business's country to read the caller's number. */
export interface MailboxOwner extends Mailbox {
  country: string;
}

/** Platform user ids as the edge names internal callers (`usr_…`, as in SIP URIs). */
const USER_ID = /^usr_[A-Za-z0-9_-]{1,64}$/;

/**
 * The owner's mailbox, found through the user (the edge does not say which
 * business): null for an unknown user or an account that has ended, whose
 * messages nobody could ever hear.
 */
export async function mailboxOwner(db: D1Database, userId: string): Promise<MailboxOwner | null> {
  const row = await db
    .prepare(
      `SELECT u.business_id, b.country FROM users u JOIN businesses b ON b.id = u.business_id
        WHERE u.id = ? AND u.status <> 'terminated' AND b.status <> 'terminated'`,
    )
    .bind(userId)
    .first<{ business_id: string; country: string }>();
  return row ? { businessId: row.business_id, userId, country: row.country } : null;
}

/** Who called, as the inbox keeps it: a colleague of the owner, or a number in E.164; neither for a withheld or unreadable caller. */
export async function callerOf(
  db: D1Database,
  owner: MailboxOwner,
  from: string,
): Promise<{ fromUserId: string | null; fromNumber: string | null }> {
  if (USER_ID.test(from)) {
    // Only a colleague is named: an id from anywhere else says nothing the owner may see.
    const colleague = await db
      .prepare('SELECT id FROM users WHERE business_id = ? AND id = ?')
      .bind(owner.businessId, from)
      .first<string>('id');
    return { fromUserId: colleague, fromNumber: null };
  }
  return { fromUserId: null, fromNumber: normaliseNumber(from, owner.country) ?? null };
}

/**
 * The message this call already left, if any. The same call for the same
 * owner is the edge retrying (same id back); the same Call-ID for another
 * owner is refused, so nobody slips audio into someone else's mailbox.
 */
export async function existingMessage(db: D1Database, owner: Mailbox, callId: string): Promise<string | null> {
  const row = await db
    .prepare('SELECT id, user_id FROM voicemail_messages WHERE business_id = ? AND call_id = ?')
    .bind(owner.businessId, callId)
    .first<{ id: string; user_id: string }>();
  if (!row) return null;
  if (row.user_id !== owner.userId) throw callIdUsed();
  return row.id;
}

/**
 * Writes the message's row for audio already in R2. Returns the new id, or
 * null when a concurrent upload of the same call got there first (the caller
 * then removes its own copy of the audio and answers with the winner's id).
 */
export async function insertMessage(
  db: D1Database,
  owner: MailboxOwner,
  upload: EdgeVoicemailUpload,
  caller: { fromUserId: string | null; fromNumber: string | null },
  audio: StoredAudio,
  now = Date.now(),
): Promise<string | null> {
  const id = newId('vm');
  const row = await db
    .prepare(
      `INSERT INTO voicemail_messages (id, business_id, user_id, call_id, from_number, from_user_id, received_at, duration_ms,
                                       r2_key, content_type, size, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (business_id, call_id) DO NOTHING
       RETURNING id`,
    )
    .bind(
      id,
      owner.businessId,
      owner.userId,
      upload.callId,
      caller.fromNumber,
      caller.fromUserId,
      upload.receivedAt,
      upload.durationMs,
      audio.key,
      audio.contentType,
      audio.size,
      now,
    )
    .first<{ id: string }>();
  return row?.id ?? null;
}
