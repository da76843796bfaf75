import { describe, expect, it } from 'vitest';
import { json, seedBusiness } from './support/api';
import { askRoute, assignNumber, national, overrideNumber, setBusinessStatus, setUserStatus } from './support/edge';

/** A valid UK number no business on the platform owns (Ofcom's Manchester drama range). */
const EXTERNAL = '+441614960001';

/** A business where the user has the first pool number and the admin the second. */
async function businessWithNumbers() {
  const biz = await seedBusiness({ pool: 4, licensed: true });
  const [userNumber, adminNumber, spare, main] = biz.numbers as [string, string, string, string];
  await assignNumber(biz.business.id, userNumber, biz.user.id);
  await assignNumber(biz.business.id, adminNumber, biz.admin.id);
  return { ...biz, userNumber, adminNumber, spare, main };
}

describe('POST /api/edge/route: only the media edge may ask', () => {
  it('refuses a request without the bearer secret, with a wrong one, or another scheme', async () => {
    const body = { source: 'client' as const, fromUser: 'usr_x', to: 'usr_y' };
    for (const authorization of [null, 'Bearer wrong-secret', 'Basic dGVzdDp0ZXN0', 'Bearer ']) {
      const res = await askRoute(body, authorization);
      expect(res.status).toBe(401);
      expect((await json(res)).code).toBe('edge_unauthorized');
    }
  });

  it('validates the body', async () => {
    expect((await askRoute({ source: 'elsewhere' as never, fromUser: 'usr_x', to: 'usr_y' })).status).toBe(422);
    expect((await askRoute('{not json')).status).toBe(400);
  });
});

describe('POST /api/edge/route: calls from users (source client)', () => {
  it('rings a colleague dialled by user id, without anchoring media', async () => {
    const b = await businessWithNumbers();
    const res = await askRoute({ source: 'client', fromUser: b.user.id, to: b.admin.id });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    // The admin's seat has voicemail: a call nobody answers goes there (edge-route-features.test.ts has the rules).
    expect(await json(res)).toEqual({
      action: 'ring',
      targets: [b.admin.id],
      ringSeconds: 30,
      anchorMedia: false,
      voicemailUserId: b.admin.id,
    });
  });

  it("rings a colleague dialled by their business number, in E.164 or the business's national format", async () => {
    const b = await businessWithNumbers();
    for (const to of [b.adminNumber, national(b.adminNumber)]) {
      expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to }))).toMatchObject({
        action: 'ring',
        targets: [b.admin.id],
      });
    }
  });

  it('a number used as an override rings the users who override with it, not its assigned user elsewhere', async () => {
    const b = await businessWithNumbers();
    await overrideNumber(b.business.id, b.user.id, b.main);
    await overrideNumber(b.business.id, b.admin.id, b.main);
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: b.main }))).toMatchObject({
      action: 'ring',
      targets: [b.admin.id, b.user.id].sort(),
    });
    // The user's own assigned number now comes in on the main number instead.
    expect(await json(await askRoute({ source: 'client', fromUser: b.admin.id, to: b.userNumber }))).toEqual({
      action: 'reject',
      code: 480,
      reason: 'Temporarily Unavailable',
    });
  });

  it("sends external numbers to the phone network with the caller's business number as caller ID", async () => {
    const b = await businessWithNumbers();
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: EXTERNAL }))).toEqual({
      action: 'phone_network',
      number: EXTERNAL,
      callerId: b.userNumber,
    });
    // National format, read in the business's country (GB).
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: '0161 496 0001' }))).toMatchObject({ number: EXTERNAL });
  });

  it('uses the override number as caller ID when the admin set one', async () => {
    const b = await businessWithNumbers();
    await overrideNumber(b.business.id, b.user.id, b.main);
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: EXTERNAL }))).toMatchObject({
      action: 'phone_network',
      callerId: b.main,
    });
  });

  it('refuses calls to the phone network from a user without a business number (403)', async () => {
    const b = await seedBusiness({ pool: 0, licensed: true });
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: EXTERNAL }))).toEqual({
      action: 'reject',
      code: 403,
      reason: 'No business number',
    });
    // Colleagues are still reachable.
    expect(await json(await askRoute({ source: 'client', fromUser: b.user.id, to: b.admin.id }))).toMatchObject({ action: 'ring' });
  });

  it('never rings across businesses: a user id or a number of another business is 404', async () => {
    const a = await businessWithNumbers();
    const b = await businessWithNumbers();
    for (const to of [b.user.id, b.admin.id, b.userNumber, national(b.adminNumber)]) {
      expect(await json(await askRoute({ source: 'client', fromUser: a.user.id, to }))).toEqual({
        action: 'reject',
        code: 404,
        reason: 'Not Found',
      });
    }
  });

  it('unknown user ids, extensions and garbage are 404', async () => {
    const a = await businessWithNumbers();
    for (const to of ['usr_nobody', '201', 'hello', '999']) {
      expect(await json(await askRoute({ source: 'client', fromUser: a.user.id, to }))).toMatchObject({ action: 'reject', code: 404 });
    }
  });

  it('refuses suspended or unknown callers and callers of a suspended business (403)', async () => {
    const a = await businessWithNumbers();
    await setUserStatus(a.business.id, a.user.id, 'suspended');
    expect(await json(await askRoute({ source: 'client', fromUser: a.user.id, to: a.admin.id }))).toMatchObject({
      action: 'reject',
      code: 403,
    });
    expect(await json(await askRoute({ source: 'client', fromUser: 'usr_gone', to: a.admin.id }))).toMatchObject({
      action: 'reject',
      code: 403,
    });
    const b = await businessWithNumbers();
    await setBusinessStatus(b.business.id, 'suspended');
    expect(await json(await askRoute({ source: 'client', fromUser: b.admin.id, to: EXTERNAL }))).toMatchObject({
      action: 'reject',
      code: 403,
    });
  });

  it('does not ring a suspended colleague', async () => {
    const a = await businessWithNumbers();
    await setUserStatus(a.business.id, a.admin.id, 'suspended');
    expect(await json(await askRoute({ source: 'client', fromUser: a.user.id, to: a.admin.id }))).toMatchObject({
      action: 'reject',
      code: 404,
    });
    expect(await json(await askRoute({ source: 'client', fromUser: a.user.id, to: a.adminNumber }))).toMatchObject({
      action: 'reject',
      code: 480,
    });
  });
});

describe('POST /api/edge/route: calls from the phone network', () => {
  it('rings the user of one of our numbers, media anchored (with or without the +)', async () => {
    const b = await businessWithNumbers();
    for (const to of [b.userNumber, b.userNumber.slice(1)]) {
      expect(await json(await askRoute({ source: 'phone_network', fromUser: EXTERNAL, to }))).toEqual({
        action: 'ring',
        targets: [b.user.id],
        ringSeconds: 30,
        anchorMedia: true,
        voicemailUserId: b.user.id,
      });
    }
  });

  it('unknown numbers are 404; a number nobody answers on, or of a suspended business, is 480', async () => {
    const b = await businessWithNumbers();
    expect(await json(await askRoute({ source: 'phone_network', fromUser: EXTERNAL, to: EXTERNAL }))).toMatchObject({ code: 404 });
    expect(await json(await askRoute({ source: 'phone_network', fromUser: EXTERNAL, to: 'usr_x' }))).toMatchObject({ code: 404 });
    expect(await json(await askRoute({ source: 'phone_network', fromUser: EXTERNAL, to: b.spare }))).toMatchObject({ code: 480 });
    await setBusinessStatus(b.business.id, 'suspended');
    expect(await json(await askRoute({ source: 'phone_network', fromUser: EXTERNAL, to: b.userNumber }))).toMatchObject({ code: 480 });
  });
});
