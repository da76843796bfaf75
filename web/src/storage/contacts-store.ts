/**
 * Reading and writing the device's contacts. Screens read an in-memory
 * mirror (loaded from IndexedDB when first needed) so that the list and the
 * search never wait on storage; every write goes to IndexedDB first and then
 * to the mirror, and bumps `contactsRevision` so screens re-read.
 */
import { signal } from '@preact/signals';
import type { IDBPTransaction } from 'idb';
import type { Contact, ContactChanges, ContactTombstone } from '../../../shared/contacts-api';
import { chunksIn, mergedContacts, putChunk, readContact, removeFromChunks } from './contact-records';
import { type ContactsChunk, type ContactsDB, type ContactsSchema, contactsDb, getMeta, idsOf } from './contacts-db';
import { type LocalContact, toLocal } from './local-contact';

/** Bumped whenever the device's contacts change. */
export const contactsRevision = signal(0);

let mirror: Map<string, LocalContact> | undefined;
let loading: Promise<Map<string, LocalContact>> | undefined;

/** Every contact on this device (loaded once, then kept current). */
export function loadContacts(): Promise<Map<string, LocalContact>> {
  if (mirror) return Promise.resolve(mirror);
  loading ??= contactsDb()
    .then((db) => {
      const tx = db.transaction(['chunks', 'contacts']);
      return Promise.all([tx.objectStore('chunks').getAll(), tx.objectStore('contacts').getAll()]);
    })
    .then(([chunks, own]) => {
      mirror = mergedContacts(chunks, own);
      return mirror;
    })
    .finally(() => {
      loading = undefined;
    });
  return loading;
}

/** The mirror if it is loaded (caller identity and sync work without it). */
export function loadedContacts(): ReadonlyMap<string, LocalContact> | undefined {
  return mirror;
}

/** Updates the mirror after a committed write and tells the screens. */
export function mirrorChanged(put: readonly LocalContact[], removed: readonly string[]): void {
  if (mirror) {
    for (const c of put) mirror.set(c.id, c);
    for (const id of removed) mirror.delete(id);
  }
  contactsRevision.value++;
}

/** Forgets the mirror (the database was wiped or replaced). */
export function dropMirror(): void {
  mirror = undefined;
  contactsRevision.value++;
}

/** One contact by id. */
export async function getLocalContact(id: string): Promise<LocalContact | undefined> {
  return mirror ? mirror.get(id) : readContact((await contactsDb()).transaction(['contacts', 'chunks', 'chunkKeys']), id);
}

/** The contact with this E.164 number, a favourite first: from the index and the chunks' lookup records, no mirror needed. */
export async function contactByE164(e164: string): Promise<LocalContact | undefined> {
  return (await contactsByE164([e164])).get(e164);
}

/**
 * {@link contactByE164} for many numbers in one transaction (the voicemail
 * inbox): `chunkKeys` is read once and each chunk at most once, however
 * many numbers there are. Numbers without a contact are left out.
 */
export async function contactsByE164(numbers: readonly string[]): Promise<Map<string, LocalContact>> {
  const found = new Map<string, LocalContact>();
  if (numbers.length === 0) return found;
  const tx = (await contactsDb()).transaction(['contacts', 'chunks', 'chunkKeys']);
  const own = tx.objectStore('contacts');
  const keys = await tx.objectStore('chunkKeys').getAll();
  const chunks = new Map<string, Promise<ContactsChunk | undefined>>();
  const chunk = (key: string) => {
    let read = chunks.get(key);
    if (!read) {
      read = tx.objectStore('chunks').get(key);
      chunks.set(key, read);
    }
    return read;
  };
  for (const e164 of new Set(numbers)) {
    const matches = await own.index('by-e164').getAll(e164);
    for (const key of chunksIn(keys, 'e164s', e164)) {
      for (const c of (await chunk(key))?.contacts ?? []) {
        // A contact with its own record was changed since: that record (found above, or not) is the one that counts.
        if (c.e164s.includes(e164) && (await own.getKey(c.id)) === undefined) matches.push(c);
      }
    }
    const best = matches.sort((a, b) => Number(b.favourite) - Number(a.favourite) || b.updatedAt - a.updatedAt)[0];
    if (best) found.set(e164, best);
  }
  return found;
}

/** Ids with a change still in the outbox: a pulled copy must not hide the user's unsent edit. Read inside the writing transaction. */
async function pendingIds(
  tx: IDBPTransaction<ContactsSchema, ['contacts', 'chunks', 'chunkKeys', 'outbox', 'meta'], 'readwrite'>,
): Promise<Set<string>> {
  const entries = await tx.objectStore('outbox').getAll();
  return new Set(entries.filter((e) => e.state === 'pending').map((e) => e.contactId));
}

const writeTx = (db: ContactsDB) =>
  db.transaction(['contacts', 'chunks', 'chunkKeys', 'outbox', 'meta'], 'readwrite', { durability: 'relaxed' });

/** Contacts an import created, stored in bulk under `key` (`importId:batch`). */
export interface StoredChunk {
  key: string;
  contacts: Contact[];
}

/**
 * Stores contacts the server returned (an import's batches): `contacts` one
 * record each, `chunks` (contacts the import created) one record per batch.
 * `ranges` maps
 * a batch's sequence before → after: while the device's cursor sits at the
 * start of a known range it jumps to its end, so contacts the device stored
 * this way are not pulled again. Batches may arrive in any order; a gap
 * (another device's change in between) stops the jump, and the next pull
 * fetches from there.
 */
export async function storeServerContacts(contacts: Contact[], ranges?: Map<number, number>, chunks: StoredChunk[] = []): Promise<void> {
  const tx = writeTx(await contactsDb());
  const skip = await pendingIds(tx);
  const put = contacts.filter((c) => !skip.has(c.id)).map((c) => toLocal(c));
  for (const c of put) void tx.objectStore('contacts').put(c);
  for (const chunk of chunks) {
    const local = chunk.contacts.filter((c) => !skip.has(c.id)).map((c) => toLocal(c));
    if (local.length > 0) putChunk(tx, chunk.key, local);
    put.push(...local);
  }
  if (ranges && ranges.size > 0) {
    const meta = tx.objectStore('meta');
    const before = Number((await meta.get('cursor')) ?? '0');
    let cursor = before;
    for (let next = ranges.get(cursor); next !== undefined; next = ranges.get(cursor)) {
      ranges.delete(cursor);
      cursor = next;
    }
    if (cursor !== before) void meta.put(String(cursor), 'cursor');
  }
  await tx.done;
  mirrorChanged(put, []);
}

/**
 * Applies one pulled page of changes and its cursor, in one transaction.
 * A copy older than the one stored (an import stored it meanwhile) is not
 * applied, and the cursor never moves back.
 */
export async function applyChanges(changes: ContactChanges): Promise<void> {
  const tx = writeTx(await contactsDb());
  const skip = await pendingIds(tx);
  const store = tx.objectStore('contacts');
  const stored = new Map<string, number>();
  await Promise.all(
    [...changes.upserts, ...changes.deletions].map(async (c) => {
      const local = await store.get(c.id);
      if (local && !local.pending) stored.set(c.id, local.version);
    }),
  );
  const newer = (c: { id: string; version: number }) => !skip.has(c.id) && (stored.get(c.id) ?? 0) <= c.version;
  const put = changes.upserts.filter(newer).map((c) => toLocal(c));
  const removed = changes.deletions.filter((d: ContactTombstone) => newer(d)).map((d) => d.id);
  for (const c of put) void store.put(c);
  for (const id of removed) void store.delete(id);
  await removeFromChunks(tx, removed);
  const cursor = Number((await tx.objectStore('meta').get('cursor')) ?? '0');
  if (Number(changes.cursor) > cursor) void tx.objectStore('meta').put(changes.cursor, 'cursor');
  void tx.objectStore('meta').put(Date.now(), 'lastSyncAt');
  await tx.done;
  mirrorChanged(put, removed);
}

/**
 * The server said to start over: every contact without an unsent edit goes,
 * and the cursor returns to the beginning.
 */
export async function resetContacts(): Promise<void> {
  const tx = writeTx(await contactsDb());
  const keep = await pendingIds(tx);
  const removed: string[] = [];
  for (const id of await tx.objectStore('contacts').getAllKeys()) {
    if (keep.has(id)) continue;
    removed.push(id);
    void tx.objectStore('contacts').delete(id);
  }
  // Chunks hold only what the server sent; an unsent edit has its own record.
  for (const { ids } of await tx.objectStore('chunkKeys').getAll()) for (const id of idsOf(ids)) if (!keep.has(id)) removed.push(id);
  void tx.objectStore('chunks').clear();
  void tx.objectStore('chunkKeys').clear();
  void tx.objectStore('meta').put('0', 'cursor');
  await tx.done;
  mirrorChanged([], removed);
}

/** The cursor to pull from. */
export async function currentCursor(): Promise<string> {
  return (await getMeta('cursor')) ?? '0';
}

/**
 * Makes the store belong to `owner` (`businessId:userId`): another user's
 * contacts (a shared computer) are wiped first, outbox included.
 */
export async function claimStore(owner: string): Promise<void> {
  const db = await contactsDb();
  if ((await db.get('meta', 'owner')) === owner) return;
  await wipeStore();
  await db.put('meta', owner, 'owner');
}

/** Empties every store: contacts, unsent changes and sync state. */
export async function wipeStore(): Promise<void> {
  const db = await contactsDb();
  const tx = db.transaction(['contacts', 'chunks', 'chunkKeys', 'outbox', 'meta'], 'readwrite');
  await Promise.all([
    tx.objectStore('contacts').clear(),
    tx.objectStore('chunks').clear(),
    tx.objectStore('chunkKeys').clear(),
    tx.objectStore('outbox').clear(),
    tx.objectStore('meta').clear(),
    tx.done,
  ]);
  mirror = mirror ? new Map() : undefined;
  contactsRevision.value++;
}
