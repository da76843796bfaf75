import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Contact } from '../../shared/contacts-api';
import { me } from '../../web/src/auth/session';
import { applyServerMessage } from '../../web/src/live/store';
import { CONTACTS_DB_NAME, contactsDb, deleteContactsDb, getMeta } from '../../web/src/storage/contacts-db';
import { addContact, editContact, removeContact, resolveProblem, starContact } from '../../web/src/storage/contacts-edits';
import {
  applyChanges,
  contactByE164,
  contactsByE164,
  dropMirror,
  getLocalContact,
  loadContacts,
  storeServerContacts,
} from '../../web/src/storage/contacts-store';
import {
  contactsChanged,
  contactsReady,
  followSession,
  stopContactsSync,
  syncNow,
  syncSettled,
  syncStatus,
} from '../../web/src/storage/contacts-sync';
import { toLocal } from '../../web/src/storage/local-contact';
import { contactsApi, FakeContactsServer } from './support/contacts-server';
import { aMe } from './support/fake-api';

let server: FakeContactsServer;
let api: ReturnType<typeof contactsApi>;

/** Lets every queued sync finish. */
async function settled(): Promise<void> {
  await syncNow();
  await syncSettled();
}

async function local() {
  return [...(await loadContacts()).values()].sort((a, b) => a.sortKey.localeCompare(b.sortKey));
}

const ada = { firstName: 'Ada', lastName: 'Lovelace', numbers: [{ label: 'mobile' as const, value: '07700 900123' }] };

beforeEach(async () => {
  server = new FakeContactsServer();
  api = contactsApi(server);
  me.value = aMe();
  followSession();
  await contactsReady();
  await settled();
});

afterEach(async () => {
  await stopContactsSync();
  await deleteContactsDb();
  dropMirror();
});

describe('contacts storage (IndexedDB)', () => {
  it('keeps the contacts of the signed-in user only: another user signing in wipes them, signing out too', async () => {
    await addContact(ada);
    await settled();
    expect(await getMeta('owner')).toBe('b1:u1');
    me.value = aMe({ user: { id: 'u2' } });
    await contactsReady();
    expect(await local()).toEqual([]);
    expect(await getMeta('owner')).toBe('b1:u2');
    await addContact(ada);
    me.value = null;
    await vi.waitFor(async () => expect(await (await contactsDb()).count('contacts')).toBe(0));
    expect(await (await contactsDb()).count('outbox')).toBe(0);
  });

  it('an edit shows at once, offline too, and waits in the outbox with an idempotency key', async () => {
    server.offline = true;
    const contact = await addContact(ada);
    expect(contact).toMatchObject({ firstName: 'Ada', pending: true, version: 0, e164s: ['+447700900123'] });
    await settled();
    expect(syncStatus.value).toMatchObject({ phase: 'offline', pending: 1 });
    const [entry] = await (await contactsDb()).getAll('outbox');
    expect(entry).toMatchObject({ kind: 'create', contactId: contact.id, state: 'pending', attempts: expect.any(Number) });
    expect(entry?.key).toMatch(/^[0-9a-f-]{36}$/);
    expect((await contactByE164('+447700900123'))?.id).toBe(contact.id);

    server.offline = false;
    window.dispatchEvent(new Event('online'));
    await settled();
    const [post] = api.calls('POST /api/contacts').slice(-1);
    expect(post?.headers['Idempotency-Key']).toBe(entry?.key);
    expect(post?.body).toMatchObject({ id: contact.id, firstName: 'Ada', source: 'app' });
    expect(server.live()).toHaveLength(1);
    expect((await local())[0]).toMatchObject({ id: contact.id, version: 1 });
    expect((await local())[0]?.pending).toBeUndefined();
    expect(syncStatus.value).toMatchObject({ phase: 'idle', pending: 0, problems: [] });
  });

  it('folds edits made before sending into one request, and sends different contacts in order', async () => {
    server.offline = true;
    const a = await addContact(ada);
    const b = await addContact({ firstName: 'Bea', numbers: [{ value: '020 7946 0001' }] });
    await editContact(b.id, { firstName: 'Bea', company: 'Engines', numbers: [{ value: '020 7946 0001' }] });
    await starContact(b.id, true);
    const c = await addContact({ firstName: 'Gone', numbers: [{ value: '020 7946 0002' }] });
    await removeContact(c.id);
    // Ada's create was tried (it may have reached the server), so her edit could not fold into it; Bea's could, Gone never left.
    await editContact(a.id, { ...ada, company: 'Engines' });
    expect((await (await contactsDb()).getAll('outbox')).map((e) => e.kind)).toEqual(['create', 'create', 'update']);
    server.offline = false;
    api.seen.length = 0;
    await settled();
    expect(api.seen.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${(r.body as { firstName?: string }).firstName}`)).toEqual([
      'POST Ada',
      'POST Bea',
      'PUT Ada',
    ]);
    expect(server.live().map((x) => [x.firstName, x.company, x.favourite])).toEqual([
      ['Ada', 'Engines', false],
      ['Bea', 'Engines', true],
    ]);
    expect((await local()).map((x) => [x.id, x.version])).toEqual([
      [a.id, 2],
      [b.id, 1],
    ]);
  });

  it('pulls what other devices changed, deletions included, a page at a time', async () => {
    const ids = Array.from(
      { length: 1203 },
      (_, i) => server.add({ firstName: `P${i}`, numbers: [{ value: `020 7946 ${String(i).padStart(4, '0')}` }] }).id,
    );
    contactsChanged();
    await settled();
    expect(await local()).toHaveLength(1203);
    expect(api.calls('GET /api/contacts/changes').length).toBeGreaterThanOrEqual(2);
    server.change(ids[0] as string, { company: 'Changed elsewhere' });
    server.remove(ids[1] as string);
    contactsChanged();
    await settled();
    const all = await loadContacts();
    expect(all.size).toBe(1202);
    expect(all.get(ids[0] as string)?.company).toBe('Changed elsewhere');
    expect(await getMeta('cursor')).toBe(String(server.seq));
  });

  it('a pulled copy never hides an edit that is still to be sent', async () => {
    const theirs = server.add(ada);
    await settled();
    server.offline = true;
    await editContact(theirs.id, { ...ada, lastName: 'King' });
    await settled();
    const newer = server.change(theirs.id, { company: 'Elsewhere Ltd' });
    await applyChanges({ upserts: [newer], deletions: [], cursor: String(server.seq), more: false, reset: false });
    expect((await loadContacts()).get(theirs.id)).toMatchObject({ lastName: 'King', company: '', pending: true });
    await applyChanges({
      upserts: [],
      deletions: [{ id: theirs.id, version: 9, deletedAt: 1 }],
      cursor: String(server.seq),
      more: false,
      reset: false,
    });
    expect((await loadContacts()).has(theirs.id)).toBe(true);
  });

  it('starts over when the server says the cursor is no longer good', async () => {
    server.add(ada);
    await settled();
    await (await contactsDb()).put('meta', '999', 'cursor');
    await (await contactsDb()).put('contacts', { ...(await local())[0], id: 'stale' } as never);
    dropMirror();
    contactsChanged();
    await settled();
    expect((await local()).map((c) => c.firstName)).toEqual(['Ada']);
    expect((await loadContacts()).has('stale')).toBe(false);
  });

  it('stores an import’s contacts and moves the cursor past them when nothing else happened in between', async () => {
    server.add(ada);
    await settled();
    const cursor = Number(await getMeta('cursor'));
    const contact = { ...server.add({ firstName: 'Imported', numbers: [{ value: '020 7946 0100' }] }) };
    // Batches may come back out of order: the cursor jumps over the ranges that join up.
    const ranges = new Map([[cursor + 1, cursor + 3]]);
    await storeServerContacts([], ranges);
    expect(await getMeta('cursor')).toBe(String(cursor));
    ranges.set(cursor, cursor + 1);
    await storeServerContacts([contact], ranges);
    expect(await getMeta('cursor')).toBe(String(cursor + 3));
    expect(ranges.size).toBe(0);
    await storeServerContacts([contact], new Map([[0, 50]]));
    expect(await getMeta('cursor')).toBe(String(cursor + 3));
  });

  it('keeps an import’s contacts in bulk, yet finds, names, edits and deletes each like any other', async () => {
    const [a, b, c] = ['020 7946 0101', '020 7946 0102', '020 7946 0103'].map((value, i) =>
      server.add({ firstName: `Bulk${i}`, numbers: [{ value }] }),
    ) as [Contact, Contact, Contact];
    await storeServerContacts([], undefined, [{ key: 'import-1:0', contacts: [a, b, c] }]);
    const db = await contactsDb();
    expect(await db.count('chunks')).toBe(1);
    expect(await db.count('contacts')).toBe(0);
    dropMirror();
    expect((await local()).map((x) => x.firstName)).toEqual(['Bulk0', 'Bulk1', 'Bulk2']);
    expect((await contactByE164('+442079460102'))?.id).toBe(b.id);

    // An edit writes the contact's own record, which hides the copy in the chunk.
    await editContact(a.id, { firstName: 'Edited', numbers: [{ value: '020 7946 0199' }] });
    await settled();
    dropMirror();
    expect((await loadContacts()).get(a.id)?.firstName).toBe('Edited');
    expect(await contactByE164('+442079460101')).toBeUndefined();
    expect((await contactByE164('+442079460199'))?.id).toBe(a.id);

    // A deletion, here or pulled from elsewhere, takes the contact out of its chunk.
    await removeContact(b.id);
    server.remove(c.id);
    contactsChanged();
    await settled();
    dropMirror();
    expect([...(await loadContacts()).keys()]).toEqual([a.id]);
    expect(await contactByE164('+442079460102')).toBeUndefined();
    expect(await contactByE164('+442079460103')).toBeUndefined();
    // The edited contact's old copy stays in the chunk, hidden by its own record.
    expect((await db.getAll('chunks')).map((chunk) => chunk.contacts.map((x) => x.id))).toEqual([[a.id]]);
    expect((await db.getAll('chunkKeys')).map((k) => k.ids)).toEqual([`\n${a.id}\n`]);
  });

  it('upgrades a version 2 store: its chunks (indexed then) are found by id and number without the indexes', async () => {
    const [a, b] = ['020 7946 0101', '020 7946 0102'].map((value, i) => server.add({ firstName: `Old${i}`, numbers: [{ value }] })) as [
      Contact,
      Contact,
    ];
    await stopContactsSync();
    await deleteContactsDb();
    dropMirror();
    // Version 2 as it was: chunks with `ids` and `e164s` and a multiEntry index on each.
    const old = await openDB(CONTACTS_DB_NAME, 2, {
      upgrade(db) {
        const contacts = db.createObjectStore('contacts', { keyPath: 'id' });
        contacts.createIndex('by-e164', 'e164s', { multiEntry: true });
        db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true }).createIndex('by-contact', 'contactId');
        db.createObjectStore('meta');
        const chunks = db.createObjectStore('chunks', { keyPath: 'key' });
        chunks.createIndex('by-id', 'ids', { multiEntry: true });
        chunks.createIndex('by-e164', 'e164s', { multiEntry: true });
      },
    });
    const stored = [a, b].map((c) => toLocal(c));
    await old.put('chunks', { key: 'import-0:0', contacts: stored, ids: stored.map((c) => c.id), e164s: stored.flatMap((c) => c.e164s) });
    old.close();

    expect((await contactByE164('+442079460102'))?.id).toBe(b.id);
    expect((await getLocalContact(a.id))?.firstName).toBe('Old0');
    const db = await contactsDb();
    expect(db.version).toBe(3);
    expect([...db.transaction('chunks').store.indexNames]).toEqual([]);
    expect(await db.getAll('chunkKeys')).toEqual([
      { key: 'import-0:0', ids: `\n${a.id}\n${b.id}\n`, e164s: '\n+442079460101\n+442079460102\n' },
    ]);
  });

  it('looks up many numbers at once with the same answers as one at a time, reading the chunks’ lookup records once', async () => {
    const [a, b, c] = ['020 7946 0101', '020 7946 0102', '07700 900123'].map((value, i) =>
      server.add({ firstName: `Bulk${i}`, numbers: [{ value }] }),
    ) as [Contact, Contact, Contact];
    await storeServerContacts([], undefined, [{ key: 'import-1:0', contacts: [a, b, c] }]);
    // Its own record moves a chunk contact to another number; a starred contact shares a chunk contact's number.
    await editContact(a.id, { firstName: 'Edited', numbers: [{ value: '020 7946 0199' }] });
    const starred = await addContact(ada);
    await starContact(starred.id, true);
    await settled();
    const numbers = ['+442079460101', '+442079460102', '+442079460199', '+447700900123', '+447700900999', '+442079460102'];

    const one = new Map<string, string | undefined>();
    for (const n of numbers) one.set(n, (await contactByE164(n))?.id);
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    const many = await contactsByE164(numbers);
    const lookupReads = getAll.mock.contexts.filter((store) => (store as IDBObjectStore).name === 'chunkKeys');
    getAll.mockRestore();

    expect(one).toEqual(
      new Map([
        ['+442079460101', undefined],
        ['+442079460102', b.id],
        ['+442079460199', a.id],
        ['+447700900123', starred.id],
        ['+447700900999', undefined],
      ]),
    );
    expect(new Map([...one].filter(([, id]) => id !== undefined))).toEqual(new Map([...many].map(([n, contact]) => [n, contact.id])));
    expect(lookupReads).toHaveLength(1);
    expect(await contactsByE164([])).toEqual(new Map());
  });

  it('pulls when the live channel says the contacts changed elsewhere', async () => {
    server.add(ada);
    const before = api.calls('GET /api/contacts/changes').length;
    applyServerMessage({ type: 'event', seq: 1, event: { kind: 'contacts_changed', id: 'evt_contacts_1', at: Date.now() } });
    await vi.waitFor(() => expect(api.calls('GET /api/contacts/changes').length).toBeGreaterThan(before));
    await settled();
    expect((await local()).map((c) => c.firstName)).toEqual(['Ada']);
  });

  it('polls every 60 s while visible', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await stopContactsSync();
    followSession();
    await contactsReady();
    await settled();
    const before = api.calls('GET /api/contacts/changes').length;
    server.add(ada);
    vi.advanceTimersByTime(60_000);
    await settled();
    expect(api.calls('GET /api/contacts/changes').length).toBeGreaterThan(before);
    expect(await local()).toHaveLength(1);
  });
});

describe('contacts conflicts (server wins; the edit is kept for the user)', () => {
  async function shared() {
    const contact = server.add({ ...ada, company: 'Engines' });
    await settled();
    return contact;
  }

  it('re-applies an edit automatically when the other device changed other fields', async () => {
    const c = await shared();
    server.offline = true;
    await editContact(c.id, { ...ada, company: 'Engines', lastName: 'King' });
    server.change(c.id, { company: 'Engines Ltd' });
    server.offline = false;
    await settled();
    expect(server.rows.get(c.id)?.contact).toMatchObject({ lastName: 'King', company: 'Engines Ltd', version: 3 });
    expect(syncStatus.value.problems).toEqual([]);
    expect((await loadContacts()).get(c.id)).toMatchObject({ lastName: 'King', company: 'Engines Ltd', version: 3 });
  });

  it('a real conflict shows the server’s copy, keeps the edit, and lets the user apply it again', async () => {
    const c = await shared();
    server.offline = true;
    await editContact(c.id, { ...ada, company: 'Mine Ltd' });
    server.change(c.id, { company: 'Theirs Ltd' });
    server.offline = false;
    await settled();
    const [conflict] = syncStatus.value.problems;
    expect(conflict).toMatchObject({ state: 'conflict', contactId: c.id, currentVersion: 2, current: { company: 'Theirs Ltd' } });
    expect(conflict?.fields?.company).toBe('Mine Ltd');
    expect((await loadContacts()).get(c.id)?.company).toBe('Theirs Ltd');

    await resolveProblem(conflict as never, 'apply');
    await settled();
    expect(server.rows.get(c.id)?.contact).toMatchObject({ company: 'Mine Ltd', version: 3 });
    expect(syncStatus.value.problems).toEqual([]);
    expect((await loadContacts()).get(c.id)?.company).toBe('Mine Ltd');
  });

  it('discarding keeps the server’s copy', async () => {
    const c = await shared();
    server.offline = true;
    await editContact(c.id, { ...ada, company: 'Mine Ltd' });
    server.change(c.id, { company: 'Theirs Ltd' });
    server.offline = false;
    await settled();
    await resolveProblem(syncStatus.value.problems[0] as never, 'discard');
    await settled();
    expect(server.rows.get(c.id)?.contact.company).toBe('Theirs Ltd');
    expect((await loadContacts()).get(c.id)?.company).toBe('Theirs Ltd');
    expect(syncStatus.value.problems).toEqual([]);
  });

  it('an edit of a contact deleted elsewhere can bring it back', async () => {
    const c = await shared();
    server.offline = true;
    await editContact(c.id, { ...ada, company: 'Still here' });
    server.remove(c.id);
    server.offline = false;
    await settled();
    const [conflict] = syncStatus.value.problems;
    expect(conflict).toMatchObject({ current: null, currentVersion: 2 });
    expect((await loadContacts()).has(c.id)).toBe(false);
    // The fake, like the Worker, brings a tombstone back at its version.
    const row = server.rows.get(c.id);
    if (row) row.deletedAt = null;
    await resolveProblem(conflict as never, 'apply');
    await settled();
    expect(server.rows.get(c.id)?.contact.company).toBe('Still here');
    expect((await loadContacts()).get(c.id)?.company).toBe('Still here');
  });

  it('a deletion of a contact changed elsewhere is a conflict, not a silent loss', async () => {
    const c = await shared();
    server.offline = true;
    await removeContact(c.id);
    server.change(c.id, { company: 'Edited meanwhile' });
    server.offline = false;
    await settled();
    expect(syncStatus.value.problems[0]).toMatchObject({ kind: 'delete', state: 'conflict' });
    expect((await loadContacts()).get(c.id)?.company).toBe('Edited meanwhile');
  });
});
