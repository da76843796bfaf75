import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { json, seedBusiness, signedIn } from './support/api';
import { setBusinessStatus, setUserStatus } from './support/edge';

/**
 * The credentials route reads the session and the seat's calling in one
 * query (not `requireSession` then `featuresFor`): each refusal must stay
 * what it was, with the same status and problem code.
 */
describe('POST /api/sip/credentials refusals', () => {
  it('a user without a seat gets 403 feature_not_licensed', async () => {
    const b = await seedBusiness({ licensed: false });
    const res = await (await signedIn(b.user.email, b.user.password)).post('/api/sip/credentials');
    expect(res.status).toBe(403);
    expect((await json(res)).code).toBe('feature_not_licensed');
  });

  it('a seat whose calling is off gets 403 feature_not_licensed; on again, credentials', async () => {
    const b = await seedBusiness({ licensed: true });
    const client = await signedIn(b.user.email, b.user.password);
    await env.DB.prepare('UPDATE user_licences SET calling = 0 WHERE user_id = ?').bind(b.user.id).run();
    const off = await client.post('/api/sip/credentials');
    expect(off.status).toBe(403);
    expect((await json(off)).code).toBe('feature_not_licensed');
    await env.DB.prepare('UPDATE user_licences SET calling = 1 WHERE user_id = ?').bind(b.user.id).run();
    expect((await client.post('/api/sip/credentials')).status).toBe(200);
  });

  it('a suspended user, a suspended business, or an ended session gets 401 not_signed_in', async () => {
    const b = await seedBusiness({ licensed: true });
    const user = await signedIn(b.user.email, b.user.password);
    await setUserStatus(b.business.id, b.user.id, 'suspended');
    const suspended = await user.post('/api/sip/credentials');
    expect(suspended.status).toBe(401);
    expect((await json(suspended)).code).toBe('not_signed_in');

    const admin = await signedIn(b.admin.email, b.admin.password);
    await setBusinessStatus(b.business.id, 'suspended');
    expect((await admin.post('/api/sip/credentials')).status).toBe(401);
    await setBusinessStatus(b.business.id, 'active');
    expect((await admin.post('/api/sip/credentials')).status).toBe(200);

    expect((await admin.post('/api/auth/signout')).status).toBeLessThan(300);
    const ended = await admin.post('/api/sip/credentials');
    expect(ended.status).toBe(401);
    expect((await json(ended)).code).toBe('not_signed_in');
  });

  it('names the signed-in user, not whoever holds a seat', async () => {
    const b = await seedBusiness({ licensed: true });
    const body = await json(await (await signedIn(b.admin.email, b.admin.password)).post('/api/sip/credentials'));
    expect(body.username.split(':')[1]).toBe(b.admin.id);
  });
});
