import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CONTENT_TYPE } from '../../shared/problem';
import { app } from '../../worker/app';
import { adminOf } from './support/admin';
import { Client, json } from './support/api';
import { recordingBusiness, storedRecording } from './support/recordings';

/** Paths only a business's admins may use. Every route the router has under them is tested below. */
const ADMIN_ONLY = /^\/api\/admin(\/|$)/;

/**
 * Values for params with a pattern (`:file{export\.(csv|json)}`), each checked
 * against it. A new pattern without values here fails the test by name.
 */
const PATTERN_VALUES: Record<string, string[]> = { 'export\\.(csv|json)': ['export.csv', 'export.json'] };

/** An id no table holds, for the params of routes whose ids do not matter. */
const NO_SUCH_ID = 'zz_no_such_id';

interface AdminRoute {
  method: string;
  pattern: string;
}

/**
 * Every admin route, read from the Hono router itself rather than a list kept
 * by hand: a route added tomorrow is tested tomorrow. `use()` middleware
 * (requireAdmin itself) and catch-alls are registered as wildcards, not routes.
 */
function adminRoutes(): AdminRoute[] {
  const found = new Map<string, AdminRoute>();
  for (const r of app.routes) {
    if (!ADMIN_ONLY.test(r.path) || r.path.includes('*')) continue;
    const method = r.method === 'ALL' ? 'GET' : r.method;
    found.set(`${method} ${r.path}`, { method, pattern: r.path });
  }
  return [...found.values()];
}

const PARAM = /^:(\w+)(?:\{(.+)\})?\??$/;

/**
 * The route's concrete paths. A plain `:param` takes the id in `ids` named by
 * the segment before it ("users/:id" → ids.users), else {@link NO_SUCH_ID}; a
 * patterned one takes each of its {@link PATTERN_VALUES}.
 */
function pathsOf(pattern: string, ids: Record<string, string> = {}): string[] {
  const segments = pattern.split('/');
  let paths = [''];
  segments.forEach((segment, i) => {
    const param = PARAM.exec(segment);
    let values = [segment];
    if (param?.[2]) {
      values = PATTERN_VALUES[param[2]] ?? [];
      if (values.length === 0) throw new Error(`No values for the param pattern {${param[2]}} of ${pattern}: add them to PATTERN_VALUES.`);
      for (const v of values) expect(new RegExp(`^${param[2]}$`).test(v), `${v} fits {${param[2]}}`).toBe(true);
    } else if (param) {
      values = [ids[segments[i - 1] ?? ''] ?? NO_SUCH_ID];
    }
    paths = paths.flatMap((p) => values.map((v) => (i === 0 ? v : `${p}/${v}`)));
  });
  return paths;
}

/** Each admin request to make: method, path, and the route it exercises. */
function requests(ids: Record<string, string> = {}) {
  return adminRoutes().flatMap(({ method, pattern }) => pathsOf(pattern, ids).map((path) => ({ method, path, pattern })));
}

const PROBLEM_TYPE = PROBLEM_CONTENT_TYPE;

/** A business holding one of everything an admin route can change, and its admin and user signed in. */
async function businessWithEverything() {
  const b = await recordingBusiness();
  const numberIds = b.numbers.map((_, i) => `num_${b.business.id.slice(4)}_${i}`);
  const u = `/api/admin/users/${b.user.id}`;
  expect((await b.adminClient.patch(`${u}/extension`, { extension: '301' })).status).toBe(200);
  expect((await b.adminClient.patch(`${u}/override`, { numberId: numberIds[1] })).status).toBe(200);
  const invitation = await json(await b.adminClient.post('/api/admin/invitations', { email: `invitee-${b.business.id}@x.example` }));
  const recording = await storedRecording(b.user.id);
  return {
    ...b,
    numberIds,
    ids: { users: b.user.id, numbers: numberIds[0] as string, invitations: invitation.id, recordings: recording.id },
  };
}

/** What an admin route could have changed, to show that a refused request changed nothing. */
async function snapshot(businessId: string) {
  const [users, numbers, business, invitations, rest] = await env.DB.batch([
    env.DB.prepare('SELECT id, role, status, override_number_id FROM users WHERE business_id = ? ORDER BY id').bind(businessId),
    env.DB.prepare('SELECT id, assigned_user_id FROM numbers WHERE business_id = ? ORDER BY id').bind(businessId),
    env.DB.prepare('SELECT plan, spending_limit_cents, seats, recording_enabled FROM businesses WHERE id = ?').bind(businessId),
    env.DB.prepare('SELECT id, revoked_at FROM invitations WHERE business_id = ? ORDER BY id').bind(businessId),
    env.DB.prepare(
      `SELECT (SELECT COUNT(*) FROM extensions WHERE business_id = ?1) AS extensions,
              (SELECT COUNT(*) FROM user_licences WHERE business_id = ?1) AS licences,
              (SELECT COUNT(*) FROM recordings WHERE business_id = ?1) AS recordings,
              (SELECT COUNT(*) FROM audit_log WHERE business_id = ?1) AS audit`,
    ).bind(businessId),
  ]);
  return [users?.results, numbers?.results, business?.results, invitations?.results, rest?.results];
}

describe('every admin route checks the role on the server', () => {
  it('finds the admin routes in the router, including the ones mounted apart from /api/admin', () => {
    const found = adminRoutes().map((r) => `${r.method} ${r.pattern}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'GET /api/admin/users',
        'POST /api/admin/users/:id/terminate',
        'GET /api/admin/alerts',
        'GET /api/admin/calls/:file{export\\.(csv|json)}',
        'POST /api/admin/invitations',
        'DELETE /api/admin/invitations/:id',
        'DELETE /api/admin/recordings/:id',
        'GET /api/admin/audit',
      ]),
    );
    // A walk that stopped early (say, a change in how Hono lists mounted apps) would find far fewer.
    expect(found.length).toBeGreaterThanOrEqual(30);
  });

  /** Every admin route asked by `who` must answer `status` with the problem `code`, and change nothing. */
  async function refusedEverywhere(who: 'signed out' | 'user', status: number, code: string): Promise<void> {
    const b = await businessWithEverything();
    const before = await snapshot(b.business.id);
    const client = who === 'user' ? b.userClient : new Client();
    for (const { method, path } of requests(b.ids)) {
      const res = await client.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      const body = await res.text();
      expect({ method, path, status: res.status, type: res.headers.get('Content-Type') }).toEqual({
        method,
        path,
        status,
        type: PROBLEM_TYPE,
      });
      expect(JSON.parse(body).code).toBe(code);
    }
    expect(await snapshot(b.business.id)).toEqual(before);
  }

  it('answers 401 to a signed-out client on every admin route', () => refusedEverywhere('signed out', 401, 'not_signed_in'));

  it('answers 403 to a user of the same business on every admin route, and changes nothing', () =>
    refusedEverywhere('user', 403, 'forbidden'));

  it('lets the admin through every admin route (so a 401 or 403 above is the role check, not a broken route)', async () => {
    const a = await adminOf();
    // Ids that do not exist and no bodies: the routes answer 404 or 4xx validation problems, and change nothing.
    for (const { method, path } of requests()) {
      const res = await a.client.call(method, path);
      const body = await res.text();
      expect({ method, path, refused: [401, 403].includes(res.status) }).toEqual({ method, path, refused: false });
      // The router's own "no such route" would mean the path was filled wrongly, not that the route answered.
      expect({ method, path, body }).not.toEqual({ method, path, body: expect.stringContaining('No such API route') });
    }
  });

  it('answers 403 at once to an admin demoted meanwhile (the role is read on every request)', async () => {
    const a = await adminOf();
    await env.DB.prepare("UPDATE users SET role = 'user' WHERE id = ?").bind(a.admin.id).run();
    expect((await a.client.get('/api/admin/users')).status).toBe(403);
  });
});

/** Plausible bodies for routes that read one, so that only the id can make them fail. */
const BODIES: Record<string, (ids: Record<string, string>) => unknown> = {
  'PATCH /api/admin/users/:id': () => ({ role: 'admin' }),
  'PATCH /api/admin/users/:id/override': (ids) => ({ numberId: ids.numbers }),
  'PATCH /api/admin/users/:id/extension': () => ({ extension: '201' }),
  'PATCH /api/admin/users/:id/licence': () => ({ sms: false }),
  'POST /api/admin/numbers/:id/assignment': (ids) => ({ userId: ids.users }),
};

describe("another business's admin", () => {
  it('gets 404 for every object id of this business on every admin route that takes one, and changes nothing', async () => {
    const a = await businessWithEverything();
    const b = await adminOf({ seats: 2, recordingPurchased: true });
    const before = await snapshot(a.business.id);
    const objectRoutes = requests(a.ids).filter(({ path }) => Object.values(a.ids).some((id) => path.includes(id)));
    // Every route with an object id is here (the patterned export file name is not an object).
    expect(objectRoutes.map((r) => r.pattern)).toEqual(
      adminRoutes()
        .filter((r) => /\/:\w+(\/|$)/.test(r.pattern))
        .map((r) => r.pattern),
    );
    const calls = objectRoutes.map(({ method, path, pattern }) => ({
      method,
      path,
      body: method === 'GET' || method === 'DELETE' ? undefined : (BODIES[`${method} ${pattern}`]?.(a.ids) ?? {}),
    }));
    // B's own objects pointing at A's: B's user with A's number, B's number for A's user.
    calls.push(
      { method: 'PATCH', path: `/api/admin/users/${b.user.id}/override`, body: { numberId: a.numberIds[0] } },
      { method: 'POST', path: `/api/admin/numbers/${b.numberIds[0]}/assignment`, body: { userId: a.user.id } },
    );
    for (const { method, path, body } of calls) {
      const res = await b.client.call(method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    expect(await snapshot(a.business.id)).toEqual(before);
  });

  it("sees none of this business's data", async () => {
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
