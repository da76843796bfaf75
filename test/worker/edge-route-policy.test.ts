import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, json, seedBusiness, signedIn } from './support/api';
import { askRoute, assignNumber } from './support/edge';

const EXTERNAL = '+441614960001';

async function licensedBusiness() {
  const b = await seedBusiness({ pool: 3, licensed: true });
  await assignNumber(b.business.id, b.numbers[0] as string, b.user.id);
  await assignNumber(b.business.id, b.numbers[1] as string, b.admin.id);
  return b;
}

const setDnd = (userId: string, on: boolean) =>
  env.DB.prepare('UPDATE users SET dnd = ? WHERE id = ?')
    .bind(on ? 1 : 0, userId)
    .run();
const setFeature = (userId: string, feature: 'calling' | 'voicemail', on: boolean) =>
  env.DB.prepare(`UPDATE user_licences SET ${feature} = ? WHERE user_id = ?`)
    .bind(on ? 1 : 0, userId)
    .run();

describe('policy in the routing decision', () => {
  it('refuses a caller whose seat has no calling, and gives them no SIP credentials', async () => {
    const b = await licensedBusiness();
    await setFeature(b.user.id, 'calling', false);
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: b.admin.id }))).toMatchObject({
      action: 'reject',
      code: 403,
    });
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: EXTERNAL }))).toMatchObject({
      action: 'reject',
      code: 403,
    });
    const client = await signedIn(b.user.email, b.user.password, new Client());
    const res = await client.post('/api/sip/credentials');
    expect(res.status).toBe(403);
    expect((await json(res)).code).toBe('feature_not_licensed');
  });

  it('sends a call to a user on do-not-disturb to voicemail, or busy without voicemail, and rings again when it is off', async () => {
    const b = await licensedBusiness();
    await setDnd(b.admin.id, true);
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: b.admin.id }))).toEqual({
      action: 'voicemail',
      userId: b.admin.id,
    });
    // From the phone network too, on the admin's business number.
    expect(await json(await askRoute({ source: 'phone_network', fromUser: '+441614960000', to: b.numbers[1] as string }))).toMatchObject({
      action: 'voicemail',
    });
    await setFeature(b.admin.id, 'voicemail', false);
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: b.admin.id }))).toMatchObject({
      action: 'reject',
      code: 486,
    });
    await setDnd(b.admin.id, false);
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: b.admin.id }))).toMatchObject({
      action: 'ring',
      targets: [b.admin.id],
    });
  });

  it("rings a colleague by extension, and never another business's extension", async () => {
    const a = await licensedBusiness();
    const other = await licensedBusiness();
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare('INSERT INTO extensions (business_id, extension, user_id, created_at) VALUES (?, ?, ?, ?)').bind(
        a.business.id,
        '201',
        a.admin.id,
        now,
      ),
      env.DB.prepare('INSERT INTO extensions (business_id, extension, user_id, created_at) VALUES (?, ?, ?, ?)').bind(
        other.business.id,
        '305',
        other.admin.id,
        now,
      ),
    ]);
    expect(await json(await askRoute({ source: 'client', fromUser: a.user.id, to: '201' }))).toMatchObject({
      action: 'ring',
      targets: [a.admin.id],
    });
    expect(await json(await askRoute({ source: 'client', fromUser: a.user.id, to: '305' }))).toMatchObject({ action: 'reject', code: 404 });
  });

  it('blocks calls to the phone network once a pay-as-you-go spending limit is reached', async () => {
    const b = await licensedBusiness();
    await env.DB.prepare("UPDATE businesses SET plan = 'payg', spending_limit_cents = 0 WHERE id = ?").bind(b.business.id).run();
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: EXTERNAL }))).toMatchObject({
      action: 'block',
      code: 403,
    });
    // Calls between colleagues cost nothing and still ring.
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: b.admin.id }))).toMatchObject({ action: 'ring' });
  });
});
