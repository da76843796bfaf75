/**
 * Where a contact lives in IndexedDB: its own record in `contacts`, or (an
 * imported contact nobody has changed since) its copy in an import's chunk.
 * Every read and every deletion goes through here so that the two places
 * never disagree: an own record hides the chunk's copy, and a deletion
 * takes the contact out of its chunk too.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import { type ChunkKeys, type ContactsChunk, type ContactsSchema, idsOf, keysOf } from './contacts-db';
import type { LocalContact } from './local-contact';

/** A transaction over `contacts`, `chunks` and `chunkKeys` (and maybe more). */
export type ContactsTx = IDBPTransaction<ContactsSchema, ArrayLike<StoreNames<ContactsSchema>>, IDBTransactionMode>;
type WriteTx = IDBPTransaction<ContactsSchema, ArrayLike<StoreNames<ContactsSchema>>, 'readwrite'>;

/** Stores a chunk of these contacts and its lookup record. */
export function putChunk(tx: WriteTx, key: string, contacts: LocalContact[]): void {
  void tx.objectStore('chunks').put({ key, contacts });
  void tx.objectStore('chunkKeys').put(keysOf(key, contacts));
}

/** The keys of the chunks that hold a contact with this id, or this number (`e164s`). */
export async function chunksWith(tx: ContactsTx, field: 'ids' | 'e164s', value: string): Promise<string[]> {
  return chunksIn(await tx.objectStore('chunkKeys').getAll(), field, value);
}

/** {@link chunksWith} over lookup records already read: many lookups, one read of `chunkKeys`. */
export function chunksIn(all: readonly ChunkKeys[], field: 'ids' | 'e164s', value: string): string[] {
  const wanted = `\n${value}\n`;
  return all.filter((k) => k[field].includes(wanted)).map((k) => k.key);
}

/** The contact as this device has it: its own record, else its copy in a chunk. */
export async function readContact(tx: ContactsTx, id: string): Promise<LocalContact | undefined> {
  const own = await tx.objectStore('contacts').get(id);
  if (own) return own;
  const [key] = await chunksWith(tx, 'ids', id);
  const chunk = key === undefined ? undefined : await tx.objectStore('chunks').get(key);
  return chunk?.contacts.find((c) => c.id === id);
}

/** Takes contacts out of the chunks holding them (they were deleted); each chunk is rewritten once. */
export async function removeFromChunks(tx: WriteTx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const gone = new Set(ids);
  const holding = (await tx.objectStore('chunkKeys').getAll()).filter((k) => idsOf(k.ids).some((id) => gone.has(id)));
  await Promise.all(
    holding.map(async ({ key }) => {
      const chunk: ContactsChunk | undefined = await tx.objectStore('chunks').get(key);
      if (!chunk) return;
      const kept = chunk.contacts.filter((c) => !gone.has(c.id));
      if (kept.length > 0) return putChunk(tx, key, kept);
      await Promise.all([tx.objectStore('chunks').delete(key), tx.objectStore('chunkKeys').delete(key)]);
    }),
  );
}

/** Every contact, own records over chunk copies. */
export function mergedContacts(chunks: readonly ContactsChunk[], own: readonly LocalContact[]): Map<string, LocalContact> {
  const all = new Map<string, LocalContact>();
  for (const chunk of chunks) for (const c of chunk.contacts) all.set(c.id, c);
  for (const c of own) all.set(c.id, c);
  return all;
}
