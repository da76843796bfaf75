import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CONTACTS_PER_USER_MAX } from '../../shared/contacts-limits';
import { Client, json, seedBusiness, signedIn } from './support/api';
import { aContact, created } from './support/contacts';

async function ownerClient() {
  const a = await seedBusiness({ pool: 1 });
  return { a, client: await signedIn(a.user.email, a.user.password) };
}

/** The field errors of a 422, as field → code. */
async function fieldCodes(res: Response): Promise<Record<string, string>> {
  expect(res.status).toBe(422);
  const body = await json(res);
  expect(body.code).toBe('validation_failed');
  return Object.fromEntries(body.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
}

describe('contacts: create, read, list', () => {
  it('creates a contact with numbers in E.164 (read in the business country) and reads it back', async () => {
    const { client } = await ownerClient();
    const res = await client.post(
      '/api/contacts',
      aContact({
        numbers: [
          { label: 'mobile', value: '07911 123456' },
          { label: 'work', value: '+1 (202) 555-0123' },
        ],
      }),
    );
    expect(res.status).toBe(201);
    const contact = await json(res);
    expect(res.headers.get('ETag')).toBe('"1"');
    expect(res.headers.get('Location')).toBe(`/api/contacts/${contact.id}`);
    expect(contact).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines',
      source: 'app',
      favourite: false,
      version: 1,
      numbers: [
        { label: 'mobile', value: '07911 123456', e164: '+447911123456' },
        { label: 'work', value: '+1 (202) 555-0123', e164: '+12025550123' },
      ],
      emails: [{ label: 'work', value: 'ada@engines.example' }],
    });
    const got = await client.get(`/api/contacts/${contact.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('Cache-Control')).toBe('private, no-store');
    expect(await json(got)).toEqual(contact);
  });

  it('needs a session', async () => {
    const res = await new Client().get('/api/contacts');
    expect(res.status).toBe(401);
    expect((await json(res)).code).toBe('not_signed_in');
  });

  it('lists favourites first, then by name (accents folded), a page at a time', async () => {
    const { client } = await ownerClient();
    const names = ['Zoë', 'adam', 'Émile', 'Bea', 'carl'];
    for (const [i, firstName] of names.entries()) {
      await created(client, aContact({ firstName, lastName: '', numbers: [{ value: `07911 12345${i}` }], favourite: firstName === 'Zoë' }));
    }
    // A contact with no name at all sorts after the named ones.
    await created(client, aContact({ firstName: '', lastName: '', company: '', numbers: [{ value: '020 7946 0999' }] }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await json(await client.get(`/api/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      expect(page.contacts.length).toBeLessThanOrEqual(2);
      seen.push(...page.contacts.map((c: { firstName: string; numbers: Array<{ value: string }> }) => c.firstName || c.numbers[0]?.value));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(['Zoë', 'adam', 'Bea', 'carl', 'Émile', '020 7946 0999']);
  });

  it('refuses a cursor it did not make', async () => {
    const { client } = await ownerClient();
    const codes = await fieldCodes(await client.get('/api/contacts?cursor=not-a-cursor'));
    expect(codes.cursor).toBe('invalid_cursor');
  });
});

describe('contacts: validation', () => {
  it('needs at least one phone number', async () => {
    const { client } = await ownerClient();
    expect(await fieldCodes(await client.post('/api/contacts', aContact({ numbers: [] })))).toHaveProperty('numbers');
  });

  it('refuses a number that cannot be read, naming the field', async () => {
    const { client } = await ownerClient();
    const res = await client.post(
      '/api/contacts',
      aContact({ numbers: [{ value: '07911 123456' }, { value: '12' }, { value: 'call me' }] }),
    );
    const codes = await fieldCodes(res);
    expect(codes).toEqual({ 'numbers.1.value': 'invalid_phone_number', 'numbers.2.value': 'invalid_phone_number' });
  });

  it('limits field lengths, counts and labels, each with a clear message', async () => {
    const { client } = await ownerClient();
    const res = await client.post(
      '/api/contacts',
      aContact({
        firstName: 'x'.repeat(101),
        company: 'y'.repeat(151),
        numbers: Array.from({ length: 21 }, (_, i) => ({ value: `07911 1234${String(i).padStart(2, '0')}` })),
        emails: Array.from({ length: 21 }, (_, i) => ({ value: `a${i}@b.example` })),
      }),
    );
    expect(res.status).toBe(422);
    const body = await json(res);
    const messages = Object.fromEntries(body.errors.map((e: { field: string; message: string }) => [e.field, e.message]));
    expect(messages.firstName).toBe('Use at most 100 characters for the first name.');
    expect(messages.company).toBe('Use at most 150 characters for the company.');
    expect(messages.numbers).toBe('A contact can have at most 20 numbers.');
    expect(messages.emails).toBe('A contact can have at most 20 email addresses.');

    const more = await fieldCodes(
      await client.post(
        '/api/contacts',
        aContact({ numbers: [{ label: 'pager' as 'mobile', value: '07911 123456' }], emails: [{ value: 'not an email' }] }),
      ),
    );
    expect(Object.keys(more).sort()).toEqual(['emails.0.value', 'numbers.0.label']);
    expect(await fieldCodes(await client.post('/api/contacts', aContact({ numbers: [{ value: '1'.repeat(41) }] })))).toHaveProperty(
      'numbers.0.value',
    );
  });

  it('answers malformed JSON with 400', async () => {
    const { client } = await ownerClient();
    const res = await client.call('POST', '/api/contacts', undefined, { 'Content-Type': 'application/json', 'X-Body': '1' });
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe('malformed_json');
  });

  it('refuses the 50,001st contact with contact_limit_reached', async () => {
    const { a, client } = await ownerClient();
    // 50,000 contacts written straight into D1 (the API would take minutes).
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
       INSERT INTO contacts (business_id, user_id, id, source, seq, created_at, updated_at)
       SELECT ?1, ?2, 'bulk_' || i, 'file', i, 0, 0 FROM n`,
    )
      .bind(a.business.id, a.user.id, CONTACTS_PER_USER_MAX)
      .run();
    await env.DB.prepare('INSERT INTO contact_sync (business_id, user_id, last_seq) VALUES (?, ?, ?)')
      .bind(a.business.id, a.user.id, CONTACTS_PER_USER_MAX)
      .run();
    const res = await client.post('/api/contacts', aContact());
    expect(res.status).toBe(409);
    const body = await json(res);
    expect(body.code).toBe('contact_limit_reached');
    expect(body.detail).toContain('at most 50,000 contacts');
    const imported = await client.post('/api/contacts/import', {
      importId: 'limit-import',
      batch: 0,
      mode: 'skip',
      source: 'file',
      contacts: [aContact()],
    });
    expect(imported.status).toBe(409);
    expect((await json(imported)).code).toBe('contact_limit_reached');
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM contacts WHERE user_id = ? AND deleted_at IS NULL')
      .bind(a.user.id)
      .first('n');
    expect(count).toBe(CONTACTS_PER_USER_MAX);
  });
});

describe('contacts: idempotent creates', () => {
  it('the same Idempotency-Key twice makes one contact', async () => {
    const { client } = await ownerClient();
    const key = crypto.randomUUID();
    const first = await client.call('POST', '/api/contacts', aContact(), { 'Idempotency-Key': key });
    const second = await client.call('POST', '/api/contacts', aContact({ firstName: 'Changed' }), { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    const [a, b] = [await json(first), await json(second)];
    expect(b).toEqual(a);
    expect((await json(await client.get('/api/contacts'))).contacts).toHaveLength(1);
  });

  it('a device-chosen id twice makes one contact; after a deletion the retry is a conflict', async () => {
    const { client } = await ownerClient();
    const id = crypto.randomUUID();
    expect((await client.post('/api/contacts', aContact({ id }))).status).toBe(201);
    const again = await client.post('/api/contacts', aContact({ id }));
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(id);
    expect((await client.call('DELETE', `/api/contacts/${id}`, undefined, { 'If-Match': '"1"' })).status).toBe(204);
    const late = await client.post('/api/contacts', aContact({ id }));
    expect(late.status).toBe(409);
    expect(await json(late)).toMatchObject({ code: 'version_conflict', current: null, currentVersion: 2 });
  });

  it('refuses an unusable key or id', async () => {
    const { client } = await ownerClient();
    expect((await client.call('POST', '/api/contacts', aContact(), { 'Idempotency-Key': 'a b' })).status).toBe(400);
    expect(await fieldCodes(await client.post('/api/contacts', aContact({ id: 'short' })))).toHaveProperty('id');
  });
});

describe('contacts: update, favourite, delete (versioned)', () => {
  it('updates with If-Match or baseVersion, bumping the version each time', async () => {
    const { client } = await ownerClient();
    const c = await created(client);
    const byHeader = await client.call('PUT', `/api/contacts/${c.id}`, aContact({ firstName: 'Augusta' }), { 'If-Match': '"1"' });
    expect(byHeader.status).toBe(200);
    expect(byHeader.headers.get('ETag')).toBe('"2"');
    expect(await json(byHeader)).toMatchObject({ firstName: 'Augusta', version: 2, createdAt: c.createdAt });
    const byBody = await client.call('PUT', `/api/contacts/${c.id}`, {
      ...aContact({ numbers: [{ label: 'home', value: '020 7946 0001' }], emails: [] }),
      baseVersion: 2,
    });
    expect(await json(byBody)).toMatchObject({
      firstName: 'Ada',
      version: 3,
      numbers: [{ label: 'home', value: '020 7946 0001', e164: '+442079460001' }],
      emails: [],
    });
  });

  it('refuses an update or deletion that does not say its version, or says it badly', async () => {
    const { client } = await ownerClient();
    const c = await created(client);
    const put = await client.call('PUT', `/api/contacts/${c.id}`, aContact());
    expect(put.status).toBe(428);
    expect((await json(put)).code).toBe('version_required');
    expect((await client.del(`/api/contacts/${c.id}`)).status).toBe(428);
    expect((await client.call('PUT', `/api/contacts/${c.id}`, aContact(), { 'If-Match': 'banana' })).status).toBe(400);
    expect((await json(await client.get(`/api/contacts/${c.id}`))).version).toBe(1);
  });

  it('a stale update is a 409 version_conflict carrying the current contact, and changes nothing', async () => {
    const { client } = await ownerClient();
    const c = await created(client);
    await client.call('PUT', `/api/contacts/${c.id}`, { ...aContact({ company: 'Newer' }), baseVersion: 1 });
    const stale = await client.call('PUT', `/api/contacts/${c.id}`, { ...aContact({ firstName: 'Stale' }), baseVersion: 1 });
    expect(stale.status).toBe(409);
    const problem = await json(stale);
    expect(problem).toMatchObject({ code: 'version_conflict', status: 409, currentVersion: 2, current: { company: 'Newer', version: 2 } });
    expect(problem.detail).toMatch(/changed on another device/);
    expect(await json(await client.get(`/api/contacts/${c.id}`))).toMatchObject({ firstName: 'Ada', company: 'Newer', version: 2 });
  });

  it('an unreadable number in an update is refused before anything changes', async () => {
    const { client } = await ownerClient();
    const c = await created(client);
    const codes = await fieldCodes(
      await client.call('PUT', `/api/contacts/${c.id}`, { ...aContact({ numbers: [{ value: '999' }] }), baseVersion: 1 }),
    );
    expect(codes['numbers.0.value']).toBe('invalid_phone_number');
    expect((await json(await client.get(`/api/contacts/${c.id}`))).version).toBe(1);
  });

  it('stars and unstars; setting the same state again changes nothing', async () => {
    const { client } = await ownerClient();
    const c = await created(client);
    const starred = await json(await client.call('PUT', `/api/contacts/${c.id}/favourite`, { favourite: true }));
    expect(starred).toMatchObject({ favourite: true, version: 2 });
    expect(await json(await client.call('PUT', `/api/contacts/${c.id}/favourite`, { favourite: true }))).toMatchObject({ version: 2 });
    expect(await json(await client.call('PUT', `/api/contacts/${c.id}/favourite`, { favourite: false }))).toMatchObject({
      favourite: false,
      version: 3,
    });
    expect(await fieldCodes(await client.call('PUT', `/api/contacts/${c.id}/favourite`, {}))).toHaveProperty('favourite');
  });

  it('deletes at a version; the contact is gone; a repeated delete succeeds; a stale one is a conflict', async () => {
    const { client } = await ownerClient();
    const c = await created(client);
    const other = await created(client, aContact({ numbers: [{ value: '020 7946 0002' }] }));
    await client.call('PUT', `/api/contacts/${other.id}`, { ...aContact({ numbers: [{ value: '020 7946 0002' }] }), baseVersion: 1 });
    const stale = await client.del(`/api/contacts/${other.id}?baseVersion=1`);
    expect(stale.status).toBe(409);
    expect((await json(stale)).current.id).toBe(other.id);

    expect((await client.del(`/api/contacts/${c.id}?baseVersion=1`)).status).toBe(204);
    expect((await client.get(`/api/contacts/${c.id}`)).status).toBe(404);
    expect((await client.del(`/api/contacts/${c.id}?baseVersion=1`)).status).toBe(204);
    expect((await client.call('PUT', `/api/contacts/${c.id}/favourite`, { favourite: true })).status).toBe(404);
    expect((await json(await client.get('/api/contacts'))).contacts.map((x: { id: string }) => x.id)).toEqual([other.id]);
  });

  it('answers 404 for ids that do not exist, whatever their shape', async () => {
    const { client } = await ownerClient();
    for (const id of ['ct_doesnotexist1', 'x', '..%2F..']) {
      expect((await client.get(`/api/contacts/${id}`)).status).toBe(404);
      expect((await client.call('PUT', `/api/contacts/${id}`, { ...aContact(), baseVersion: 1 })).status).toBe(404);
      expect((await client.del(`/api/contacts/${id}?baseVersion=1`)).status).toBe(404);
    }
  });

  it('erases a deleted contact’s names, numbers and emails, keeping only the tombstone', async () => {
    const { a, client } = await ownerClient();
    const c = await created(client);
    await client.del(`/api/contacts/${c.id}?baseVersion=1`);
    const row = await env.DB.prepare(
      'SELECT first_name, last_name, company, search_text, deleted_at FROM contacts WHERE id = ? AND user_id = ?',
    )
      .bind(c.id, a.user.id)
      .first();
    expect(row).toMatchObject({ first_name: '', last_name: '', company: '', search_text: '' });
    expect(row?.deleted_at).toBeTypeOf('number');
    for (const table of ['contact_numbers', 'contact_emails']) {
      expect(await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE contact_id = ?`).bind(c.id).first('n')).toBe(0);
    }
  });
});

describe('contacts: search and lookup', () => {
  async function phoneBook() {
    const { client } = await ownerClient();
    const ada = await created(client, aContact({ numbers: [{ value: '07911 123456' }] }));
    const grace = await created(
      client,
      aContact({ firstName: 'Grace', lastName: 'Hopper', company: 'Navy Labs', numbers: [{ value: '+1 202 555 0142' }], emails: [] }),
    );
    const bob = await created(
      client,
      aContact({ firstName: 'Bob', lastName: '7911', company: '', numbers: [{ value: '020 7946 0123' }], emails: [] }),
    );
    const ids = async (q: string) =>
      (await json(await client.get(`/api/contacts?q=${encodeURIComponent(q)}`))).contacts.map((c: { id: string }) => c.id);
    return { client, ada, grace, bob, ids };
  }

  it('finds by name or company word prefix, every word, accents and case folded', async () => {
    const { ada, grace, ids } = await phoneBook();
    expect(await ids('gra')).toEqual([grace.id]);
    expect(await ids('HOPP')).toEqual([grace.id]);
    expect(await ids('navy')).toEqual([grace.id]);
    expect(await ids('ada love')).toEqual([ada.id]);
    expect(await ids('ada hopper')).toEqual([]);
    expect(await ids('opper')).toEqual([]);
    expect(await ids('100%')).toEqual([]);
  });

  it('finds by a fragment of a number, typed or E.164; digits never match names', async () => {
    const { ada, grace, bob, ids } = await phoneBook();
    expect(await ids('7911')).toEqual([ada.id]);
    expect(await ids('07911 12')).toEqual([ada.id]);
    expect(await ids('+4479')).toEqual([ada.id]);
    expect(await ids('555-0142')).toEqual([grace.id]);
    expect(await ids('7946')).toEqual([bob.id]);
  });

  it('looks a number up in any format for caller identity; unknown is 404, unreadable 422', async () => {
    const { client, ada } = await phoneBook();
    for (const number of ['+447911123456', '07911 123456', '+44 (0)7911 123 456']) {
      const res = await client.get(`/api/contacts/lookup?number=${encodeURIComponent(number)}`);
      expect(res.status).toBe(200);
      expect((await json(res)).contact.id).toBe(ada.id);
    }
    expect((await client.get('/api/contacts/lookup?number=%2B12025550199')).status).toBe(404);
    expect(await fieldCodes(await client.get('/api/contacts/lookup?number=abc'))).toHaveProperty('number');
    await client.del(`/api/contacts/${ada.id}?baseVersion=1`);
    expect((await client.get('/api/contacts/lookup?number=%2B447911123456')).status).toBe(404);
  });

  it('exports every contact as vCard 4.0', async () => {
    const { client } = await phoneBook();
    const res = await client.get('/api/contacts/export.vcf');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/vcard; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toContain('contacts.vcf');
    const text = await res.text();
    expect(text.match(/BEGIN:VCARD\r\nVERSION:4.0\r\n/g)).toHaveLength(3);
    expect(text).toContain('FN:Grace Hopper\r\n');
    expect(text).toContain('TEL;VALUE=uri;TYPE="cell":tel:+447911123456\r\n');
    expect(text).toContain('N:Lovelace;Ada;;;\r\n');
  });

  it('streams a large export page by page', async () => {
    const { a, client } = await ownerClient();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1100)
       INSERT INTO contacts (business_id, user_id, id, first_name, sort_key, source, seq, created_at, updated_at)
       SELECT ?1, ?2, 'bulk_' || i, 'Person ' || i, 'person ' || printf('%05d', i), 'file', i, 0, 0 FROM n`,
    )
      .bind(a.business.id, a.user.id)
      .run();
    const text = await (await client.get('/api/contacts/export.vcf')).text();
    expect(text.match(/BEGIN:VCARD/g)).toHaveLength(1100);
    expect(text.indexOf('FN:Person 1\r\n')).toBeLessThan(text.indexOf('FN:Person 1100\r\n'));
  });
});
