import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { json, seedBusiness } from './support/api';
import { setBusinessStatus, setUserStatus } from './support/edge';

/** Asks whether a user may register, as the media edge does (the right bearer secret unless told otherwise). */
function askRegistration(body: unknown, authorization: string | null = `Bearer ${env.EDGE_API_SECRET}`): Promise<Response> {
  return SELF.fetch('https://app.test/api/edge/registration', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const decisionFor = (userId: string) => askRegistration({ userId }).then(json);

describe('POST /api/edge/registration: only the media edge may ask', () => {
  it('refuses a request without the bearer secret, with a forged one, or another scheme', async () => {
    const b = await seedBusiness({ licensed: true });
    for (const authorization of [null, 'Bearer forged-secret', `Basic ${btoa(`edge:${env.EDGE_API_SECRET}`)}`, 'Bearer ']) {
      const res = await askRegistration({ userId: b.user.id }, authorization);
      expect(res.status).toBe(401);
      expect((await json(res)).code).toBe('edge_unauthorized');
    }
  });

  it('bad input is a structured problem: malformed JSON 400, a missing or mistyped user 422 naming the field', async () => {
    const malformed = await askRegistration('{"userId": ');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    expect(await json(malformed)).toMatchObject({ status: 400, code: 'malformed_json' });
    for (const body of [{}, { userId: 42 }, { userId: '' }, { userId: `usr_${'x'.repeat(200)}` }]) {
      const res = await askRegistration(body);
      expect(res.status).toBe(422);
      expect(await json(res)).toMatchObject({ code: 'validation_failed', errors: [{ field: 'userId' }] });
    }
  });
});

describe('POST /api/edge/registration: who may register', () => {
  it('an active user whose seat has calling may, in a trial business too (the answer is not for HTTP caches)', async () => {
    const b = await seedBusiness({ licensed: true });
    const res = await askRegistration({ userId: b.user.id });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await json(res)).toEqual({ allowed: true });
    await setBusinessStatus(b.business.id, 'trial');
    expect(await decisionFor(b.admin.id)).toEqual({ allowed: true });
  });

  it('a suspended or terminated user may not, with a reason for the 403', async () => {
    const b = await seedBusiness({ licensed: true });
    await setUserStatus(b.business.id, b.user.id, 'suspended');
    expect(await decisionFor(b.user.id)).toEqual({ allowed: false, reason: 'Account suspended' });
    await setUserStatus(b.business.id, b.user.id, 'terminated');
    expect(await decisionFor(b.user.id)).toEqual({ allowed: false, reason: 'Account closed' });
    // Reinstated: registers again.
    await setUserStatus(b.business.id, b.user.id, 'active');
    expect(await decisionFor(b.user.id)).toEqual({ allowed: true });
  });

  it('a user whose seat has no calling, or who has no seat, may not', async () => {
    const b = await seedBusiness({ licensed: true });
    await env.DB.prepare('UPDATE user_licences SET calling = 0 WHERE user_id = ?').bind(b.user.id).run();
    expect(await decisionFor(b.user.id)).toEqual({ allowed: false, reason: 'Calling not licensed' });
    expect(await decisionFor(b.admin.id)).toEqual({ allowed: true });
    const unseated = await seedBusiness({ licensed: false });
    expect(await decisionFor(unseated.user.id)).toEqual({ allowed: false, reason: 'Calling not licensed' });
  });

  it('nobody of a suspended or terminated business may', async () => {
    const b = await seedBusiness({ licensed: true });
    await setBusinessStatus(b.business.id, 'suspended');
    expect(await decisionFor(b.admin.id)).toEqual({ allowed: false, reason: 'Business suspended' });
    await setBusinessStatus(b.business.id, 'terminated');
    expect(await decisionFor(b.user.id)).toEqual({ allowed: false, reason: 'Business closed' });
  });

  it('an unknown user may not', async () => {
    expect(await decisionFor('usr_nobody_at_all')).toEqual({ allowed: false, reason: 'Unknown user' });
  });
});
