import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { adminOf } from './support/admin';
import { Client, json, signedIn } from './support/api';

type Route = [method: string, path: string, body?: unknown];

/** Every admin route of issue 9, for a user id and a number id. */
function routes(userId: string, numberId: string): Route[] {
  const u = `/api/admin/users/${userId}`;
  return [
    ['GET', '/api/admin/users'],
    ['GET', '/api/admin/users?q=a'],
    ['GET', u],
    ['PATCH', u, { role: 'admin' }],
    ['POST', `${u}/suspend`],
    ['POST', `${u}/reactivate`],
    ['POST', `${u}/terminate`],
    ['PATCH', `${u}/override`, { numberId }],
    ['DELETE', `${u}/override`],
    ['PATCH', `${u}/extension`, { extension: '201' }],
    ['DELETE', `${u}/extension`],
    ['GET', '/api/admin/licences'],
    ['POST', `${u}/licence`, {}],
    ['PATCH', `${u}/licence`, { sms: false }],
    ['DELETE', `${u}/licence`],
    ['GET', '/api/admin/numbers'],
    ['POST', `/api/admin/numbers/${numberId}/assignment`, { userId }],
    ['DELETE', `/api/admin/numbers/${numberId}/assignment`],
    ['GET', '/api/admin/plan'],
    ['PATCH', '/api/admin/plan', { plan: 'payg', spendingLimitCents: 100 }],
    ['GET', '/api/admin/recording'],
    ['PATCH', '/api/admin/recording', { enabled: true }],
    ['GET', '/api/admin/recordings'],
    ['GET', '/api/admin/audit'],
  ];
}

/** What an admin route could have changed, to show that a refused request changed nothing. */
async function snapshot(businessId: string) {
  const [users, numbers, business, rest] = await env.DB.batch([
    env.DB.prepare('SELECT id, role, status, override_number_id FROM users WHERE business_id = ? ORDER BY id').bind(businessId),
    env.DB.prepare('SELECT id, assigned_user_id FROM numbers WHERE business_id = ? ORDER BY id').bind(businessId),
    env.DB.prepare('SELECT plan, spending_limit_cents, seats, recording_enabled FROM businesses WHERE id = ?').bind(businessId),
    env.DB.prepare(
      `SELECT (SELECT COUNT(*) FROM extensions WHERE business_id = ?1) AS extensions,
              (SELECT COUNT(*) FROM user_licences WHERE business_id = ?1) AS licences,
              (SELECT COUNT(*) FROM audit_log WHERE business_id = ?1) AS audit`,
    ).bind(businessId),
  ]);
  return [users?.results, numbers?.results, business?.results, rest?.results];
}

describe('every admin route checks the role on the server', () => {
  it('answers 401 to a signed-out client', async () => {
    const a = await adminOf({ seats: 2, recordingPurchased: true });
    const before = await snapshot(a.business.id);
    const anonymous = new Client();
    for (const [method, path, body] of routes(a.user.id, a.numberIds[0] as string)) {
      const res = await anonymous.call(method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
      expect((await json(res)).code).toBe('not_signed_in');
    }
    expect(await snapshot(a.business.id)).toEqual(before);
  });

  it('answers 403 to a plain user of the same business, and changes nothing', async () => {
    const a = await adminOf({ seats: 2, recordingPurchased: true });
    const user = await signedIn(a.user.email, a.user.password);
    const before = await snapshot(a.business.id);
    for (const [method, path, body] of routes(a.admin.id, a.numberIds[0] as string)) {
      const res = await user.call(method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
      expect((await json(res)).code).toBe('forbidden');
    }
    expect(await snapshot(a.business.id)).toEqual(before);
  });

  it('answers 403 at once to an admin demoted meanwhile (the role is read on every request)', async () => {
    const a = await adminOf();
    await env.DB.prepare("UPDATE users SET role = 'user' WHERE id = ?").bind(a.admin.id).run();
    expect((await a.client.get('/api/admin/users')).status).toBe(403);
  });

  it("answers 404 to another business's admin for every object id, and changes nothing", async () => {
    const a = await adminOf({ seats: 2, recordingPurchased: true });
    const b = await adminOf({ seats: 2, recordingPurchased: true });
    // A's user with a licence, an extension and an override, so that every clear/remove has something to remove.
    expect((await a.client.post(`/api/admin/users/${a.user.id}/licence`, {})).status).toBe(201);
    expect((await a.client.patch(`/api/admin/users/${a.user.id}/extension`, { extension: '301' })).status).toBe(200);
    expect((await a.client.patch(`/api/admin/users/${a.user.id}/override`, { numberId: a.numberIds[1] })).status).toBe(200);
    const before = await snapshot(a.business.id);
    const objectRoutes = routes(a.user.id, a.numberIds[0] as string).filter(
      ([, path]) => path.includes(a.user.id) || path.includes('/numbers/'),
    );
    // B's own objects pointing at A's: B's user with A's number, B's number for A's user.
    objectRoutes.push(
      ['PATCH', `/api/admin/users/${b.user.id}/override`, { numberId: a.numberIds[0] }],
      ['POST', `/api/admin/numbers/${b.numberIds[0]}/assignment`, { userId: a.user.id }],
    );
    for (const [method, path, body] of objectRoutes) {
      const res = await b.client.call(method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    expect(await snapshot(a.business.id)).toEqual(before);
  });

  it("shows another business's admin none of this business's data", async () => {
    const a = await adminOf({ seats: 3, recordingPurchased: true });
    const b = await adminOf({ seats: 1 });
    expect((await a.client.post(`/api/admin/users/${a.user.id}/licence`, {})).status).toBe(201);
    expect((await a.client.patch('/api/admin/plan', { plan: 'payg', spendingLimitCents: 5000 })).status).toBe(200);
    expect((await a.client.patch('/api/admin/recording', { enabled: true })).status).toBe(200);
    const aIds = [a.business.id, a.admin.id, a.user.id, ...a.numbers, ...a.numberIds];

    const seen = JSON.stringify(
      await Promise.all(
        [
          '/api/admin/users?status=all',
          '/api/admin/numbers',
          '/api/admin/licences',
          '/api/admin/plan',
          '/api/admin/recording',
          '/api/admin/recordings',
          '/api/admin/audit',
        ].map(async (path) => json(await b.client.get(path))),
      ),
    );
    for (const id of aIds) expect(seen).not.toContain(id);
    expect((await json(await b.client.get('/api/admin/users'))).users.map((u: { id: string }) => u.id).sort()).toEqual(
      [b.admin.id, b.user.id].sort(),
    );
    expect(await json(await b.client.get('/api/admin/licences'))).toEqual({ seats: 1, used: 0, recordingPurchased: false });
    expect((await json(await b.client.get('/api/admin/plan'))).plan).toBe('licensed');
    expect(await json(await b.client.get('/api/admin/recording'))).toEqual({ purchased: false, enabled: false });
    expect((await json(await b.client.get('/api/admin/audit'))).entries).toEqual([]);
    // A searching for B's people finds nobody.
    expect((await json(await a.client.get(`/api/admin/users?q=${encodeURIComponent(b.user.email)}`))).users).toEqual([]);
  });
});
