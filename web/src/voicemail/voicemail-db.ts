/**
 * The device's copy of the user's voicemail inbox in IndexedDB (its own
 * database, `softphone-voicemail`), so the list opens offline. Only the list:
 * the audio is streamed from the server when played. A cache of what the
 * server said, replaced on each refresh and wiped on sign-out.
 */
import type { DBSchema, IDBPDatabase } from 'idb';
import type { VoicemailMessage } from '../../../shared/voicemail-api';
import { databaseOnce } from '../storage/database-once';
import { type OwnedList, type OwnedListMetaStore, readOwnedList, saveOwnedList } from '../storage/owned-list';

export interface VoicemailSchema extends DBSchema {
  messages: { key: string; value: VoicemailMessage; indexes: { 'by-received': number } };
  /** Whose inbox this is (another user's is never shown) and when the server last answered. */
  meta: OwnedListMetaStore;
}

export const VOICEMAIL_DB_NAME = 'softphone-voicemail';
export const VOICEMAIL_DB_VERSION = 1;

const database = databaseOnce<VoicemailSchema>(VOICEMAIL_DB_NAME, VOICEMAIL_DB_VERSION, (db, oldVersion) => {
  if (oldVersion < 1) {
    const messages = db.createObjectStore('messages', { keyPath: 'id' });
    messages.createIndex('by-received', 'receivedAt');
    db.createObjectStore('meta');
  }
});

/** The database, opened once per page. */
export function voicemailDb(): Promise<IDBPDatabase<VoicemailSchema>> {
  return database.open();
}

const cachedInbox: OwnedList = { open: voicemailDb, store: 'messages', index: 'by-received' };

/** The cached inbox of `owner`, newest first; empty when the cache belongs to someone else (or to nobody). */
export async function readCachedInbox(owner: string): Promise<{ messages: VoicemailMessage[]; savedAt: number | null }> {
  const { items, savedAt } = await readOwnedList<VoicemailMessage>(cachedInbox, owner);
  return { messages: items, savedAt };
}

/** Replaces the cache with the server's inbox. */
export function saveInbox(owner: string, messages: VoicemailMessage[], savedAt = Date.now()): Promise<void> {
  return saveOwnedList(cachedInbox, owner, messages, savedAt);
}

/** Changes one cached message (heard) or removes it (deleted), so the offline list agrees with what the user did. */
export async function updateCachedMessage(owner: string, id: string, change: Partial<VoicemailMessage> | 'deleted'): Promise<void> {
  const db = await voicemailDb();
  const tx = db.transaction(['messages', 'meta'], 'readwrite');
  if ((await tx.objectStore('meta').get('owner')) === owner) {
    const store = tx.objectStore('messages');
    const cached = await store.get(id);
    if (change === 'deleted') await store.delete(id);
    else if (cached) await store.put({ ...cached, ...change });
  }
  await tx.done;
}

/** Forgets the cached inbox (sign-out: who called and when is personal data, and a computer may be shared). */
export function wipeVoicemail(): Promise<void> {
  return database.remove();
}
