/**
 * Where a contact lives in IndexedDB: its own record in `contacts`, or (an
 * imported contact nobody has changed since) its copy in an import's chunk.
 * Every read and every deletion goes through here so that the two places
 * never disagree: an own record hides the chunk's copy, and a deletion
 * takes the contact out of its chunk too.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import type { ContactsChunk, ContactsSchema } from './contacts-db';
import type { LocalContact } from './local-contact';

/** A transaction over `contacts` and `chunks` (and maybe more). */
export type ContactsTx = IDBPTransaction<ContactsSchema, ArrayLike<StoreNames<ContactsSchema>>, IDBTransactionMode>;
type WriteTx = IDBPTransaction<ContactsSchema, ArrayLike<StoreNames<ContactsSchema>>, 'readwrite'>;

/** A chunk record for these contacts. */
export function packChunk(key: string, contacts: LocalContact[]): ContactsChunk {
  return { key, contacts, ids: contacts.map((c) => c.id), e164s: contacts.flatMap((c) => c.e164s) };
}

/** The contact as this device has it: its own record, else its copy in a chunk. */
export async function readContact(tx: ContactsTx, id: string): Promise<LocalContact | undefined> {
  const own = await tx.objectStore('contacts').get(id);
  if (own) return own;
  const chunk = await tx.objectStore('chunks').index('by-id').get(id);
  return chunk?.contacts.find((c) => c.id === id);
}

/** Takes contacts out of the chunks holding them (they were deleted); each chunk is rewritten once. */
export async function removeFromChunks(tx: WriteTx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const chunks = tx.objectStore('chunks');
  const keys = new Set<string>();
  await Promise.all(
    ids.map(async (id) => {
      const key = await chunks.index('by-id').getKey(id);
      if (key !== undefined) keys.add(key);
    }),
  );
  const gone = new Set(ids);
  await Promise.all(
    [...keys].map(async (key) => {
      const chunk = await chunks.get(key);
      if (!chunk) return;
      const kept = chunk.contacts.filter((c) => !gone.has(c.id));
      if (kept.length === 0) await chunks.delete(key);
      else await chunks.put(packChunk(key, kept));
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
