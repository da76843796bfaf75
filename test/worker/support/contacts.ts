import type { Contact, ContactFieldsInput } from '../../../shared/contacts-api';
import { type Client, json, seedBusiness, signedIn } from './api';

/** A contact body with sensible defaults; numbers are UK (the seeded business is in GB). */
export function aContact(overrides: Partial<ContactFieldsInput> & { id?: string } = {}): ContactFieldsInput & { id?: string } {
  return {
    firstName: 'Ada',
    lastName: 'Lovelace',
    company: 'Analytical Engines',
    numbers: [{ label: 'mobile', value: '07911 123456' }],
    emails: [{ label: 'work', value: 'ada@engines.example' }],
    ...overrides,
  };
}

/** Creates a contact and returns it; fails the test unless it is 201. */
export async function created(client: Client, body: unknown = aContact(), headers: Record<string, string> = {}): Promise<Contact> {
  const res = await client.call('POST', '/api/contacts', body, headers);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return json(res);
}

/** A business with its admin and a user, both signed in, and a second business's admin. */
export async function twoBusinesses() {
  const a = await seedBusiness({ pool: 1 });
  const b = await seedBusiness({ pool: 1 });
  const owner = await signedIn(a.user.email, a.user.password);
  const colleague = await signedIn(a.admin.email, a.admin.password);
  const stranger = await signedIn(b.admin.email, b.admin.password);
  return { a, b, owner, colleague, stranger };
}

/** The changes after a cursor. */
export async function changes(client: Client, since = '0', limit?: number) {
  const res = await client.get(`/api/contacts/changes?since=${since}${limit ? `&limit=${limit}` : ''}`);
  if (res.status !== 200) throw new Error(`changes failed: ${res.status} ${await res.text()}`);
  return json(res);
}
