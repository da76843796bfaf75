import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Client } from './support/api';
import { json } from './support/api';
import { aContact, changes, created, twoBusinesses } from './support/contacts';

/**
 * Contacts belong to one user of one business: another business's user and
 * a colleague in the same business (even its admin) both get 404 for every
 * route that names a contact, see nothing in lists, and change nothing.
 */
describe('contacts isolation', () => {
  async function scene() {
    const s = await twoBusinesses();
    const mine = await created(s.owner, aContact({ id: crypto.randomUUID() }));
    return { ...s, mine };
  }

  async function unchanged(owner: Client, id: string) {
    const res = await owner.get(`/api/contacts/${id}`);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ version: 1, firstName: 'Ada', favourite: false });
  }

  for (const who of ['stranger', 'colleague'] as const) {
    it(`${who}: every route naming my contact answers 404 and changes nothing`, async () => {
      const s = await scene();
      const other = s[who];
      const id = s.mine.id;
      expect((await other.get(`/api/contacts/${id}`)).status).toBe(404);
      expect((await other.call('PUT', `/api/contacts/${id}`, { ...aContact({ firstName: 'Hijack' }), baseVersion: 1 })).status).toBe(404);
      expect((await other.call('PUT', `/api/contacts/${id}/favourite`, { favourite: true })).status).toBe(404);
      expect((await other.del(`/api/contacts/${id}?baseVersion=1`)).status).toBe(404);
      await unchanged(s.owner, id);
    });

    it(`${who}: lists, search, changes, lookup and export show none of mine`, async () => {
      const s = await scene();
      const other = s[who];
      expect((await json(await other.get('/api/contacts'))).contacts).toEqual([]);
      expect((await json(await other.get('/api/contacts?q=ada'))).contacts).toEqual([]);
      expect((await json(await other.get('/api/contacts?q=7911'))).contacts).toEqual([]);
      expect(await changes(other)).toMatchObject({ upserts: [], deletions: [] });
      expect((await other.get('/api/contacts/lookup?number=%2B447911123456')).status).toBe(404);
      expect(await (await other.get('/api/contacts/export.vcf')).text()).toBe('');
    });

    it(`${who}: the same device-chosen id makes their own contact, not a replay of mine`, async () => {
      const s = await scene();
      const other = s[who];
      const res = await other.post(
        '/api/contacts',
        aContact({ id: s.mine.id, firstName: 'Theirs', numbers: [{ value: '020 7946 0042' }] }),
      );
      expect(res.status).toBe(201);
      expect((await json(res)).firstName).toBe('Theirs');
      await unchanged(s.owner, s.mine.id);
      expect((await json(await s.owner.get('/api/contacts'))).contacts).toHaveLength(1);
    });

    it(`${who}: rolling back my import id removes nothing of mine; their import does not merge into mine`, async () => {
      const s = await scene();
      const other = s[who];
      const body = { importId: 'shared-import-id', batch: 0, mode: 'merge', source: 'file', contacts: [aContact({ company: 'Merged?' })] };
      expect(
        (
          await json(
            await s.owner.post('/api/contacts/import', { ...body, contacts: [aContact({ numbers: [{ value: '020 7946 0077' }] })] }),
          )
        ).created,
      ).toBe(1);
      // Same number as my contact, same import id: theirs is a new contact of theirs.
      const theirs = await json(await other.post('/api/contacts/import', body));
      expect(theirs).toMatchObject({ created: 1, merged: 0, replayed: false });
      expect(await json(await other.del('/api/contacts/import/shared-import-id'))).toEqual({ removed: 1, reverted: 0 });
      await unchanged(s.owner, s.mine.id);
      expect((await json(await s.owner.get('/api/contacts'))).contacts).toHaveLength(2);
    });
  }

  it('the database refuses a number row pointing at another user’s contact', async () => {
    const s = await scene();
    const insert = env.DB.prepare(
      "INSERT INTO contact_numbers (business_id, user_id, contact_id, position, label, typed, e164, digits) VALUES (?, ?, ?, 9, 'mobile', '1', '+1', '1')",
    ).bind(s.b.business.id, s.b.admin.id, s.mine.id);
    await expect(insert.run()).rejects.toThrow(/FOREIGN KEY/);
  });
});
