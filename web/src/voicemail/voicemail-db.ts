/**
 * The device's copy of the user's voicemail inbox in IndexedDB (its own
 * database, `softphone-voicemail`), so the list opens offline. Only the list:
 * the audio is streamed from the server when played. A cache of what the
 * server said, replaced on each refresh and wiped on sign-out.
 */
import { type DBSchema, deleteDB, type IDBPDatabase, openDB } from 'idb';
import type { VoicemailMessage } from '../../../shared/voicemail-api';

/** Bookkeeping, by key. */
export interface VoicemailMeta {
  /** Whose inbox this is: `businessId:userId`. Another user's is never shown. */
  owner: string;
  /** When the server last answered (ms since the epoch). */
  savedAt: number;
}

export interface VoicemailSchema extends DBSchema {
  messages: { key: string; value: VoicemailMessage; indexes: { 'by-received': number } };
  meta: { key: keyof VoicemailMeta; value: VoicemailMeta[keyof VoicemailMeta] };
}

export const VOICEMAIL_DB_NAME = 'softphone-voicemail';
export const VOICEMAIL_DB_VERSION = 1;

let opening: Promise<IDBPDatabase<VoicemailSchema>> | undefined;

/** The database, opened once per page; upgrades are gated by the version the device had. */
export function voicemailDb(): Promise<IDBPDatabase<VoicemailSchema>> {
  opening ??= openDB<VoicemailSchema>(VOICEMAIL_DB_NAME, VOICEMAIL_DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const messages = db.createObjectStore('messages', { keyPath: 'id' });
        messages.createIndex('by-received', 'receivedAt');
        db.createObjectStore('meta');
      }
    },
    blocking() {
      // A newer version of the app wants to upgrade: step aside so it can.
      void opening?.then((db) => db.close());
      opening = undefined;
    },
  }).catch((e: unknown) => {
    opening = undefined;
    throw e;
  });
  return opening;
}

/** The cached inbox of `owner`, newest first; empty when the cache belongs to someone else (or to nobody). */
export async function readCachedInbox(owner: string): Promise<{ messages: VoicemailMessage[]; savedAt: number | null }> {
  const db = await voicemailDb();
  const tx = db.transaction(['messages', 'meta']);
  const [cachedOwner, savedAt, messages] = await Promise.all([
    tx.objectStore('meta').get('owner'),
    tx.objectStore('meta').get('savedAt'),
    tx.objectStore('messages').index('by-received').getAll(),
  ]);
  if (cachedOwner !== owner) return { messages: [], savedAt: null };
  return { messages: messages.reverse(), savedAt: typeof savedAt === 'number' ? savedAt : null };
}

/** Replaces the cache with the server's inbox. */
export async function saveInbox(owner: string, messages: VoicemailMessage[], savedAt = Date.now()): Promise<void> {
  const db = await voicemailDb();
  const tx = db.transaction(['messages', 'meta'], 'readwrite');
  const store = tx.objectStore('messages');
  await store.clear();
  await Promise.all([
    ...messages.map((message) => store.put(message)),
    tx.objectStore('meta').put(owner, 'owner'),
    tx.objectStore('meta').put(savedAt, 'savedAt'),
  ]);
  await tx.done;
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
export async function wipeVoicemail(): Promise<void> {
  const db = await opening?.catch(() => undefined);
  db?.close();
  opening = undefined;
  await deleteDB(VOICEMAIL_DB_NAME);
}
