import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { ContactFieldsInput, ImportBatchRequest } from '../../shared/contacts-api';
import { json, seedBusiness, signedIn } from './support/api';
import { aContact, changes, created } from './support/contacts';

async function importer() {
  const a = await seedBusiness({ pool: 1 });
  return { a, client: await signedIn(a.user.email, a.user.password) };
}

function batch(contacts: ContactFieldsInput[], overrides: Partial<ImportBatchRequest> = {}): ImportBatchRequest {
  return { importId: 'import-0001', batch: 0, mode: 'merge', source: 'file', contacts, ...overrides };
}

const person = (i: number, extra: Partial<ContactFieldsInput> = {}) =>
  aContact({
    firstName: `Person${i}`,
    lastName: 'Imported',
    company: '',
    emails: [],
    numbers: [{ value: `020 7946 ${String(i).padStart(4, '0')}` }],
    ...extra,
  });

async function liveCount(userId: string): Promise<number> {
  return (
    (await env.DB.prepare('SELECT COUNT(*) AS n FROM contacts WHERE user_id = ? AND deleted_at IS NULL').bind(userId).first<number>('n')) ??
    0
  );
}

describe('contacts import', () => {
  it('imports a batch, skipping contacts without a readable number, and returns them as stored', async () => {
    const { client } = await importer();
    const res = await client.post('/api/contacts/import', batch([person(1), person(2, { numbers: [{ value: '12' }] }), person(3)]));
    expect(res.status).toBe(200);
    const result = await json(res);
    expect(result).toMatchObject({ created: 2, merged: 0, replayed: false, skipped: [{ index: 1, reason: 'no_valid_number' }] });
    // Stored exactly as sent: only their ids come back, the device has the rest.
    expect(result.contacts).toEqual([]);
    expect(result.createdIds.map(([index]: [number, string]) => index)).toEqual([0, 2]);
    expect(result.seqAfter - result.seqBefore).toBe(2);
    // The feed agrees: a device at seqBefore may jump to seqAfter.
    const feed = await changes(client, String(result.seqBefore));
    expect(feed.cursor).toBe(String(result.seqAfter));
    expect(feed.upserts).toEqual(
      result.createdIds.map(([index, id]: [number, string]) => ({
        id,
        firstName: `Person${index + 1}`,
        lastName: 'Imported',
        company: '',
        numbers: [{ label: 'mobile', value: `020 7946 000${index + 1}`, e164: `+44207946000${index + 1}` }],
        emails: [],
        source: 'file',
        favourite: false,
        version: 1,
        createdAt: result.createdAt,
        updatedAt: result.createdAt,
      })),
    );
  });

  it('drops unreadable numbers but keeps the contact when another number reads', async () => {
    const { client } = await importer();
    const result = await json(
      await client.post('/api/contacts/import', batch([person(1, { numbers: [{ value: 'n/a' }, { value: '07911 123456' }] })])),
    );
    expect(result.contacts[0].numbers).toEqual([{ label: 'mobile', value: '07911 123456', e164: '+447911123456' }]);
  });

  it('mode merge: a duplicate by E.164 adds its new numbers and emails to the existing contact and fills its blanks', async () => {
    const { client } = await importer();
    const existing = await created(client, aContact({ company: '', emails: [{ label: 'work', value: 'ada@engines.example' }] }));
    const result = await json(
      await client.post(
        '/api/contacts/import',
        batch([
          aContact({
            firstName: 'Someone else',
            company: 'Engines Ltd',
            numbers: [{ value: '+447911123456' }, { label: 'home', value: '020 7946 0500' }],
            emails: [
              { label: 'work', value: 'ADA@engines.example' },
              { label: 'home', value: 'ada@home.example' },
            ],
          }),
        ]),
      ),
    );
    expect(result).toMatchObject({ created: 0, merged: 1, skipped: [] });
    const after = await json(await client.get(`/api/contacts/${existing.id}`));
    expect(after).toMatchObject({
      firstName: 'Ada',
      company: 'Engines Ltd',
      version: 2,
      numbers: [
        { label: 'mobile', e164: '+447911123456' },
        { label: 'home', e164: '+442079460500' },
      ],
      emails: [
        { label: 'work', value: 'ada@engines.example' },
        { label: 'home', value: 'ada@home.example' },
      ],
    });
    expect(result.contacts).toEqual([after]);
  });

  it('mode merge: duplicates within one file become one contact', async () => {
    const { a, client } = await importer();
    const result = await json(
      await client.post(
        '/api/contacts/import',
        batch([person(1), person(2, { firstName: 'Again', numbers: [{ value: '020 7946 0001' }, { value: '020 7946 0777' }] })]),
      ),
    );
    expect(result).toMatchObject({ created: 1, merged: 1 });
    expect(result.contacts[0].numbers.map((n: { e164: string }) => n.e164)).toEqual(['+442079460001', '+442079460777']);
    expect(await liveCount(a.user.id)).toBe(1);
  });

  it('mode skip: duplicates are reported with the contact they duplicate, and nothing changes', async () => {
    const { client } = await importer();
    const existing = await created(client);
    const result = await json(
      await client.post(
        '/api/contacts/import',
        batch([aContact({ company: 'Other' }), person(5), person(6, { numbers: [{ value: '02079460005' }] })], { mode: 'skip' }),
      ),
    );
    expect(result.created).toBe(1);
    expect(result.skipped).toEqual([
      { index: 0, reason: 'duplicate', duplicateOf: existing.id },
      { index: 2, reason: 'duplicate', duplicateOf: result.createdIds[0][1] },
    ]);
    expect((await json(await client.get(`/api/contacts/${existing.id}`))).version).toBe(1);
  });

  it('a batch sent again is replayed, never imported twice', async () => {
    const { a, client } = await importer();
    const body = batch([person(1), person(2)]);
    const first = await json(await client.post('/api/contacts/import', body));
    const again = await json(await client.post('/api/contacts/import', body));
    expect(again).toEqual({ ...first, replayed: true, createdIds: [], createdAt: 0, contacts: [], seqBefore: null, seqAfter: null });
    expect(await liveCount(a.user.id)).toBe(2);
    // The next batch of the same import is new work.
    expect((await json(await client.post('/api/contacts/import', batch([person(3)], { batch: 1 })))).created).toBe(1);
  });

  it('a refused batch leaves nothing behind', async () => {
    const { a, client } = await importer();
    const tooMany = await client.post('/api/contacts/import', batch(Array.from({ length: 2001 }, (_, i) => person(i))));
    expect(tooMany.status).toBe(422);
    expect((await json(tooMany)).errors[0]).toMatchObject({ field: 'contacts', message: 'Send at most 2000 contacts per request.' });
    const invalid = await client.post('/api/contacts/import', batch([person(1), person(2, { firstName: 'x'.repeat(200) })]));
    expect(invalid.status).toBe(422);
    expect((await json(invalid)).errors[0].field).toBe('contacts.1.firstName');
    expect(await liveCount(a.user.id)).toBe(0);
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM contact_import_batches WHERE user_id = ?').bind(a.user.id).first('n')).toBe(0);
  });

  it('rolls an import back: its contacts become tombstones, its merges come out, and it can be sent again', async () => {
    const { a, client } = await importer();
    const existing = await created(client);
    await client.post('/api/contacts/import', batch([person(1), person(2)]));
    await client.post(
      '/api/contacts/import',
      batch(
        [person(3), aContact({ numbers: [{ value: '07911 123456' }, { value: '020 7946 0900' }], emails: [{ value: 'x@y.example' }] })],
        { batch: 1 },
      ),
    );
    expect((await json(await client.get(`/api/contacts/${existing.id}`))).numbers).toHaveLength(2);
    const before = await changes(client);

    const res = await client.del('/api/contacts/import/import-0001');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ removed: 3, reverted: 1 });
    expect(await liveCount(a.user.id)).toBe(1);
    const restored = await json(await client.get(`/api/contacts/${existing.id}`));
    expect(restored.numbers.map((n: { e164: string }) => n.e164)).toEqual(['+447911123456']);
    expect(restored.emails).toEqual([{ label: 'work', value: 'ada@engines.example' }]);
    expect(restored.version).toBe(3);
    const after = await changes(client, before.cursor);
    expect(after.deletions).toHaveLength(3);
    expect(after.upserts.map((c: { id: string }) => c.id)).toEqual([existing.id]);

    // Rolling back again finds nothing; the same import may now run again.
    expect(await json(await client.del('/api/contacts/import/import-0001'))).toEqual({ removed: 0, reverted: 0 });
    expect((await json(await client.post('/api/contacts/import', batch([person(1), person(2)])))).created).toBe(2);
  });

  it('answers 404 for an import id that cannot be one', async () => {
    const { client } = await importer();
    expect((await client.del('/api/contacts/import/x')).status).toBe(404);
  });
});
