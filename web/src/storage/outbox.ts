/**
 * Edits made on this device: each is written to the local copy at once (so
 * it shows, offline too) and queued in the outbox with an idempotency key,
 * to be sent in order. Edits to a contact whose earlier edit has not been
 * sent yet are folded into it, so a contact edited five times offline costs
 * one request.
 */
import type { Contact, ContactFieldsInput } from '../../../shared/contacts-api';
import type { ContactSource } from '../../../shared/contacts-limits';
import { normaliseNumber } from '../../../shared/contacts-numbers';
import { readContact, removeFromChunks } from './contact-records';
import { contactsDb, type OutboxEntry } from './contacts-db';
import { mirrorChanged } from './contacts-store';
import { type LocalContact, toContact, toLocal } from './local-contact';

let inFlight: number | undefined;

/** The entry being sent now: never folded into, never resolved under the sender's feet. */
export function setInFlight(seq: number | undefined): void {
  inFlight = seq;
}

/** The contact as this device will show it until the server confirms. */
function optimistic(
  id: string,
  fields: ContactFieldsInput,
  country: string,
  before: LocalContact | undefined,
  source: ContactSource,
): LocalContact {
  const now = Date.now();
  const contact: Contact = {
    id,
    firstName: (fields.firstName ?? '').trim(),
    lastName: (fields.lastName ?? '').trim(),
    company: (fields.company ?? '').trim(),
    numbers: fields.numbers.map((n) => ({
      label: n.label ?? 'mobile',
      value: n.value.trim(),
      e164: normaliseNumber(n.value, country) ?? '',
    })),
    emails: (fields.emails ?? []).map((e) => ({ label: e.label ?? 'other', value: e.value.trim() })),
    source: before?.source ?? source,
    favourite: fields.favourite ?? false,
    version: before?.version ?? 0,
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
  };
  return toLocal(contact, true);
}

const newEntry = (entry: Omit<OutboxEntry, 'key' | 'state' | 'attempts' | 'createdAt'>): OutboxEntry => ({
  ...entry,
  key: crypto.randomUUID(),
  state: 'pending',
  attempts: 0,
  createdAt: Date.now(),
});

const foldable = (e: OutboxEntry) => e.state === 'pending' && e.seq !== inFlight;

/** The version a change to this contact is based on (a create not yet confirmed will be version 1). */
const baseVersionOf = (c: LocalContact) => (c.version > 0 ? c.version : 1);

/** Queues a new contact; its id is chosen here so that a retry never makes two. */
export async function queueCreate(fields: ContactFieldsInput, country: string, source: ContactSource = 'app'): Promise<LocalContact> {
  const id = crypto.randomUUID();
  const local = optimistic(id, fields, country, undefined, source);
  const tx = (await contactsDb()).transaction(['contacts', 'chunks', 'chunkKeys', 'outbox'], 'readwrite');
  void tx.objectStore('contacts').put(local);
  void tx
    .objectStore('outbox')
    .add(newEntry({ kind: 'create', contactId: id, fields: { ...fields, favourite: local.favourite }, base: null }));
  await tx.done;
  mirrorChanged([local], []);
  return local;
}

/** Queues a whole-contact edit, based on the version this device has. */
export async function queueUpdate(id: string, fields: ContactFieldsInput, country: string): Promise<LocalContact> {
  const tx = (await contactsDb()).transaction(['contacts', 'chunks', 'chunkKeys', 'outbox'], 'readwrite');
  const before = await readContact(tx, id);
  if (!before) throw new Error(`no contact ${id} on this device`);
  const local = optimistic(id, fields, country, before, before.source);
  const entries = (await tx.objectStore('outbox').index('by-contact').getAll(id)).filter(foldable);
  const into = entries.find((e) => (e.kind === 'create' && e.attempts === 0) || e.kind === 'update');
  if (into) void tx.objectStore('outbox').put({ ...into, fields: { ...fields } });
  else
    void tx
      .objectStore('outbox')
      .add(newEntry({ kind: 'update', contactId: id, fields: { ...fields }, baseVersion: baseVersionOf(before), base: toContact(before) }));
  void tx.objectStore('contacts').put(local);
  await tx.done;
  mirrorChanged([local], []);
  return local;
}

/** Queues a deletion; a contact the server never saw is simply forgotten. */
export async function queueDelete(id: string): Promise<void> {
  const tx = (await contactsDb()).transaction(['contacts', 'chunks', 'chunkKeys', 'outbox'], 'readwrite');
  const before = await readContact(tx, id);
  if (!before) return;
  const outbox = tx.objectStore('outbox');
  const entries = (await outbox.index('by-contact').getAll(id)).filter(foldable);
  const neverSent = entries.some((e) => e.kind === 'create' && e.attempts === 0);
  for (const e of entries) if (e.seq !== undefined) void outbox.delete(e.seq);
  const update = entries.find((e) => e.kind === 'update');
  if (!neverSent) {
    const baseVersion = update?.baseVersion ?? baseVersionOf(before);
    void outbox.add(newEntry({ kind: 'delete', contactId: id, baseVersion, base: update?.base ?? toContact(before) }));
  }
  void tx.objectStore('contacts').delete(id);
  await removeFromChunks(tx, [id]);
  await tx.done;
  mirrorChanged([], [id]);
}

/** Queues a star or unstar (no version needed: it is one flag). */
export async function queueFavourite(id: string, favourite: boolean): Promise<void> {
  const tx = (await contactsDb()).transaction(['contacts', 'chunks', 'chunkKeys', 'outbox'], 'readwrite');
  const before = await readContact(tx, id);
  if (!before) return;
  const outbox = tx.objectStore('outbox');
  const entries = (await outbox.index('by-contact').getAll(id)).filter(foldable);
  const edit = entries.find((e) => (e.kind === 'create' && e.attempts === 0) || e.kind === 'update');
  const star = entries.find((e) => e.kind === 'favourite');
  if (edit?.fields) void outbox.put({ ...edit, fields: { ...edit.fields, favourite } });
  else if (star) void outbox.put({ ...star, favourite });
  else void outbox.add(newEntry({ kind: 'favourite', contactId: id, favourite }));
  const local: LocalContact = { ...before, favourite, pending: true };
  void tx.objectStore('contacts').put(local);
  await tx.done;
  mirrorChanged([local], []);
}

/** Every entry, in queue order. */
export async function outboxEntries(): Promise<OutboxEntry[]> {
  return (await contactsDb()).getAll('outbox');
}

/**
 * The server accepted an entry: it leaves the queue, later entries for the
 * same contact are now based on the version it returned, and the local
 * copy becomes the server's (unless later edits are still to be sent).
 */
export async function confirmEntry(entry: OutboxEntry, contact: Contact | undefined): Promise<void> {
  const tx = (await contactsDb()).transaction(['contacts', 'chunks', 'chunkKeys', 'outbox'], 'readwrite');
  const outbox = tx.objectStore('outbox');
  if (entry.seq !== undefined) void outbox.delete(entry.seq);
  const later = (await outbox.index('by-contact').getAll(entry.contactId)).filter((e) => e.seq !== entry.seq && e.state === 'pending');
  let put: LocalContact | undefined;
  if (contact) {
    for (const e of later) if (e.kind !== 'create') void outbox.put({ ...e, baseVersion: contact.version, base: contact });
    const shown = await readContact(tx, entry.contactId);
    put = later.length > 0 && shown ? { ...shown, version: contact.version, createdAt: contact.createdAt } : toLocal(contact);
    void tx.objectStore('contacts').put(put);
  }
  await tx.done;
  mirrorChanged(put ? [put] : [], []);
}

/** Rewrites an entry (a rebase, a conflict, a failure, a counted attempt). */
export async function saveEntry(entry: OutboxEntry, local?: { put?: LocalContact; remove?: boolean }): Promise<void> {
  const tx = (await contactsDb()).transaction(['contacts', 'chunks', 'chunkKeys', 'outbox'], 'readwrite');
  void tx.objectStore('outbox').put(entry);
  if (local?.put) void tx.objectStore('contacts').put(local.put);
  if (local?.remove) {
    void tx.objectStore('contacts').delete(entry.contactId);
    await removeFromChunks(tx, [entry.contactId]);
  }
  await tx.done;
  if (local?.put || local?.remove) mirrorChanged(local.put ? [local.put] : [], local.remove ? [entry.contactId] : []);
}

/** Drops an entry, optionally showing a server copy (or nothing) in the contact's place. */
export async function dropEntry(entry: OutboxEntry, shown?: Contact | null): Promise<void> {
  const tx = (await contactsDb()).transaction(['contacts', 'chunks', 'chunkKeys', 'outbox'], 'readwrite');
  if (entry.seq !== undefined) void tx.objectStore('outbox').delete(entry.seq);
  if (shown) void tx.objectStore('contacts').put(toLocal(shown));
  if (shown === null) {
    void tx.objectStore('contacts').delete(entry.contactId);
    await removeFromChunks(tx, [entry.contactId]);
  }
  await tx.done;
  if (shown !== undefined) mirrorChanged(shown ? [toLocal(shown)] : [], shown ? [] : [entry.contactId]);
}

/** The local copy an entry would show if applied (an edit again, after a conflict). */
export function shownFor(entry: OutboxEntry, country: string, before: LocalContact | undefined): LocalContact | undefined {
  if (!entry.fields) return undefined;
  const base = before ?? (entry.current ? toLocal(entry.current) : undefined);
  return optimistic(entry.contactId, entry.fields, country, base, base?.source ?? 'app');
}
