/**
 * The device's copy of the user's contacts in IndexedDB (idb): a replica of
 * D1 that works offline and syncs by cursor. Only contact data and sync
 * bookkeeping live here; never a token, a password or a session.
 */
import type { DBSchema, IDBPDatabase } from 'idb';
import type { Contact, ContactFieldsInput } from '../../../shared/contacts-api';
import type { ProblemBody } from '../../../shared/problem';
import { databaseOnce } from './database-once';
import type { LocalContact } from './local-contact';

/** A change made on this device, waiting to be sent (in order) or to be resolved by the user. */
export interface OutboxEntry {
  /** Queue order (auto-increment key). */
  seq?: number;
  kind: 'create' | 'update' | 'delete' | 'favourite';
  contactId: string;
  /** Sent as `Idempotency-Key`: a retried create is recognised by the server. */
  key: string;
  /** The fields, for a create or an update. */
  fields?: ContactFieldsInput;
  favourite?: boolean;
  /** The version the change is based on (update, delete). */
  baseVersion?: number;
  /** The server's copy the edit started from: what a three-way merge compares against. */
  base?: Contact | null;
  /** `pending` waits to be sent; `conflict` and `failed` wait for the user. */
  state: 'pending' | 'conflict' | 'failed';
  /** How many times it was sent without an answer (a create tried once may exist on the server). */
  attempts: number;
  /** For a conflict: the server's copy that won (null when it was deleted) and its version. */
  current?: Contact | null;
  currentVersion?: number;
  /** For a failure: why the server refused it. */
  problem?: ProblemBody;
  createdAt: number;
}

/** Sync bookkeeping, by key. */
export interface Meta {
  /** Whose contacts these are: `businessId:userId`. Another user signing in wipes the store. */
  owner: string;
  /** The last change sequence pulled (as the API's cursor string). */
  cursor: string;
  /** When the last pull finished (ms since the epoch). */
  lastSyncAt: number;
}

/**
 * Contacts an import stored together, in one record: IndexedDB charges per
 * request (≈80 µs each in Chromium), so 50,000 contacts as 50,000 records
 * took 4 s of CPU while the import ran, as 25 records half a second.
 */
export interface ContactsChunk {
  /** `importId:batch`. */
  key: string;
  contacts: LocalContact[];
}

/**
 * What a chunk holds, to find a contact in it by id or number: each list
 * one string, every entry between newlines (`\nct_1\nct_2\n`). Not
 * indexes: IndexedDB writes an index entry per id and per number (4,700 per
 * batch of 2,000), which cost an import of 50,000 0.3–0.5 s of the CPU its
 * server needed; a lookup reads these few records instead (25 for 50,000
 * contacts, ~2 MB) and searches them.
 */
export interface ChunkKeys {
  key: string;
  ids: string;
  e164s: string;
}

export interface ContactsSchema extends DBSchema {
  /** One contact per record: everything but what an import stored, and any contact changed since. */
  contacts: { key: string; value: LocalContact; indexes: { 'by-e164': string } };
  /**
   * Imported contacts in bulk. A contact in `contacts` hides its copy here
   * (a later edit or pull writes one record and leaves the chunk alone);
   * a deleted contact leaves its chunk.
   */
  chunks: { key: string; value: ContactsChunk };
  /** One record per chunk, same key: the ids and numbers in it. */
  chunkKeys: { key: string; value: ChunkKeys };
  outbox: { key: number; value: OutboxEntry; indexes: { 'by-contact': string } };
  meta: { key: keyof Meta; value: Meta[keyof Meta] };
}

export type ContactsDB = IDBPDatabase<ContactsSchema>;

export const CONTACTS_DB_NAME = 'softphone-contacts';
export const CONTACTS_DB_VERSION = 3;

const database = databaseOnce<ContactsSchema>(CONTACTS_DB_NAME, CONTACTS_DB_VERSION, async (db, oldVersion, _newVersion, tx) => {
  if (oldVersion < 1) {
    const contacts = db.createObjectStore('contacts', { keyPath: 'id' });
    // Caller identity: a contact is found by any of its numbers.
    contacts.createIndex('by-e164', 'e164s', { multiEntry: true });
    const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    outbox.createIndex('by-contact', 'contactId');
    db.createObjectStore('meta');
  }
  // Version 2's chunks had multiEntry indexes `by-id` and `by-e164` (`ids` and `e164s` arrays in each record).
  if (oldVersion < 2) db.createObjectStore('chunks', { keyPath: 'key' });
  if (oldVersion < 3) {
    const keys = db.createObjectStore('chunkKeys', { keyPath: 'key' });
    if (oldVersion === 2) {
      // The schema's types know only version 3: the old indexes are reached untyped.
      const chunks = tx.objectStore('chunks') as unknown as { deleteIndex(name: string): void };
      chunks.deleteIndex('by-id');
      chunks.deleteIndex('by-e164');
      for (let cursor = await tx.objectStore('chunks').openCursor(); cursor; cursor = await cursor.continue()) {
        void keys.put(keysOf(cursor.value.key, cursor.value.contacts));
      }
    }
  }
});

/** The lookup record for a chunk of these contacts. */
export function keysOf(key: string, contacts: readonly LocalContact[]): ChunkKeys {
  return { key, ids: `\n${contacts.map((c) => c.id).join('\n')}\n`, e164s: `\n${contacts.flatMap((c) => c.e164s).join('\n')}\n` };
}

/** The ids (or numbers) a lookup record's field lists: {@link keysOf} read back. */
export function idsOf(joined: string): string[] {
  return joined.split('\n').filter(Boolean);
}

/** The database, opened once per page. */
export function contactsDb(): Promise<ContactsDB> {
  return database.open();
}

/** Reads one meta value. */
export async function getMeta<K extends keyof Meta>(key: K): Promise<Meta[K] | undefined> {
  return (await (await contactsDb()).get('meta', key)) as Meta[K] | undefined;
}

/** Closes and deletes the whole database (sign-out, tests). */
export function deleteContactsDb(): Promise<void> {
  return database.remove();
}
