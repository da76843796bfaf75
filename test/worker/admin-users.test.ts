import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { audited } from '../../worker/admin/audit';
import { isActiveUser } from '../../worker/admin/users';
import { revokeUserSessions } from '../../worker/auth/sessions';
import { addUser, adminOf, auditRows } from './support/admin';
import { json, signedIn } from './support/api';

describe('admin: users', () => {
  it('lists the business’s users with their number, and searches name, email and mobile', async () => {
    const a = await adminOf();
    const grace = await addUser(a.business.id, { name: 'Grace Hopper', mobile: '+447700900321' });
    await signedIn(a.user.email, a.user.password); // takes a pool number
    const all = (await json(await a.client.get('/api/admin/users'))).users;
    expect(all.map((u: { name: string }) => u.name)).toEqual(['Admin', 'Grace Hopper', 'User']);
    const me = all.find((u: { id: string }) => u.id === a.admin.id);
    expect(me).toMatchObject({ role: 'admin', status: 'active', you: true, licence: null, extension: null });
    expect(all.find((u: { id: string }) => u.id === a.user.id).number.e164).toMatch(/^\+44/);

    const search = async (q: string) =>
      (await json(await a.client.get(`/api/admin/users?q=${encodeURIComponent(q)}`))).users.map((u: { id: string }) => u.id);
    expect(await search('hopp')).toEqual([grace]);
    expect(await search('GRACE')).toEqual([grace]);
    expect(await search(a.user.email.slice(0, 12))).toEqual([a.user.id]);
    expect(await search('07700 900321')).toEqual([grace]); // national format, read in the business's country
    expect(await search('900321')).toEqual([grace]);
    expect(await search('%')).toEqual([]); // wildcards are taken literally
    const tooLong = await a.client.get(`/api/admin/users?q=${'x'.repeat(101)}`);
    expect(tooLong.status).toBe(422);
  });

  it('changes a role, with an audit entry, and never demotes the last active admin', async () => {
    const a = await adminOf();
    const res = await a.client.patch(`/api/admin/users/${a.user.id}`, { role: 'admin' });
    expect(res.status).toBe(200);
    expect((await json(res)).role).toBe('admin');
    expect((await a.client.patch(`/api/admin/users/${a.user.id}`, { role: 'user' })).status).toBe(200);

    const last = await a.client.patch(`/api/admin/users/${a.admin.id}`, { role: 'user' });
    expect(last.status).toBe(409);
    expect((await json(last)).code).toBe('last_admin');
    expect(await env.DB.prepare('SELECT role FROM users WHERE id = ?').bind(a.admin.id).first('role')).toBe('admin');

    // With a second active admin, an admin may step down themselves.
    await addUser(a.business.id, { role: 'admin' });
    expect((await a.client.patch(`/api/admin/users/${a.admin.id}`, { role: 'user' })).status).toBe(200);
    expect((await a.client.get('/api/admin/users')).status).toBe(403);

    const rows = await auditRows(a.business.id);
    expect(rows.map((r) => [r.action, r.target_id, r.before, r.after])).toEqual([
      ['user.role', a.user.id, { role: 'user' }, { role: 'admin' }],
      ['user.role', a.user.id, { role: 'admin' }, { role: 'user' }],
      ['user.role', a.admin.id, { role: 'admin' }, { role: 'user' }],
    ]);
    expect(rows.every((r) => r.actor_user_id === a.admin.id)).toBe(true);
  });

  it('refuses a bad role', async () => {
    const a = await adminOf();
    const res = await a.client.patch(`/api/admin/users/${a.user.id}`, { role: 'owner' });
    expect(res.status).toBe(422);
    expect((await json(res)).errors[0].field).toBe('role');
  });

  it('suspends: the session is refused at once, sign-in is refused, and reactivating lets them back in', async () => {
    const a = await adminOf();
    const user = await signedIn(a.user.email, a.user.password);
    expect((await user.get('/api/me')).status).toBe(200);

    const res = await a.client.post(`/api/admin/users/${a.user.id}/suspend`);
    expect(res.status).toBe(200);
    expect((await json(res)).status).toBe('suspended');
    expect((await user.get('/api/me')).status).toBe(401);
    const revoked = await env.DB.prepare('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ? AND revoked_at IS NULL')
      .bind(a.user.id)
      .first('n');
    expect(revoked).toBe(0);
    const signin = await user.post('/api/auth/signin', { email: a.user.email, password: a.user.password });
    expect(signin.status).toBe(403);
    expect((await json(signin)).code).toBe('account_disabled');
    expect(await isActiveUser(env.DB, a.business.id, a.user.id)).toBe(false);

    expect((await json(await a.client.post(`/api/admin/users/${a.user.id}/suspend`))).code).toBe('not_active');
    expect((await a.client.post(`/api/admin/users/${a.user.id}/reactivate`)).status).toBe(200);
    expect(await isActiveUser(env.DB, a.business.id, a.user.id)).toBe(true);
    expect((await user.post('/api/auth/signin', { email: a.user.email, password: a.user.password })).status).toBe(200);
    expect((await json(await a.client.post(`/api/admin/users/${a.user.id}/reactivate`))).code).toBe('not_suspended');

    expect((await auditRows(a.business.id)).map((r) => [r.action, r.before, r.after])).toEqual([
      ['user.suspend', { status: 'active' }, { status: 'suspended' }],
      ['user.reactivate', { status: 'suspended' }, { status: 'active' }],
    ]);
  });

  it('isActiveUser is scoped by business', async () => {
    const a = await adminOf();
    const b = await adminOf();
    expect(await isActiveUser(env.DB, a.business.id, a.user.id)).toBe(true);
    expect(await isActiveUser(env.DB, b.business.id, a.user.id)).toBe(false);
  });

  it('never lets an admin suspend or terminate themselves', async () => {
    const a = await adminOf();
    for (const action of ['suspend', 'terminate']) {
      const res = await a.client.post(`/api/admin/users/${a.admin.id}/${action}`);
      expect(res.status).toBe(409);
      expect((await json(res)).code).toBe('not_yourself');
    }
    expect(await auditRows(a.business.id)).toEqual([]);
  });

  it('terminates: retention clock started, signed out, number back in the pool, extension, override and seat freed', async () => {
    const a = await adminOf({ seats: 1 });
    const user = await signedIn(a.user.email, a.user.password);
    const held = (await json(await user.get('/api/me'))).number.e164 as string;
    expect((await a.client.post(`/api/admin/users/${a.user.id}/licence`, {})).status).toBe(201);
    expect((await a.client.patch(`/api/admin/users/${a.user.id}/extension`, { extension: '42' })).status).toBe(200);
    expect((await a.client.patch(`/api/admin/users/${a.user.id}/override`, { numberId: a.numberIds[2] })).status).toBe(200);

    const started = Date.now();
    const res = await a.client.post(`/api/admin/users/${a.user.id}/terminate`);
    expect(res.status).toBe(200);
    const after = await json(res);
    expect(after).toMatchObject({ status: 'terminated', number: null, override: null, extension: null, licence: null });
    expect(after.terminatedAt).toBeGreaterThanOrEqual(started);
    expect((await user.get('/api/me')).status).toBe(401);

    const number = await env.DB.prepare('SELECT assigned_user_id FROM numbers WHERE e164 = ?').bind(held).first('assigned_user_id');
    expect(number).toBeNull();
    const pool = (await json(await a.client.get('/api/admin/numbers'))).numbers.find((n: { e164: string }) => n.e164 === held);
    expect(pool.assignedTo).toBeNull();
    expect(await json(await a.client.get('/api/admin/licences'))).toMatchObject({ seats: 1, used: 0 });

    // Final: gone from the default list, listed with status=terminated, and no further change.
    expect((await json(await a.client.get('/api/admin/users'))).users.map((u: { id: string }) => u.id)).not.toContain(a.user.id);
    expect((await json(await a.client.get('/api/admin/users?status=terminated'))).users[0].id).toBe(a.user.id);
    for (const [method, path, body] of [
      ['POST', 'reactivate'],
      ['POST', 'terminate'],
      ['PATCH', 'extension', { extension: '43' }],
    ] as const) {
      const refused = await a.client.call(method, `/api/admin/users/${a.user.id}/${path}`, body);
      expect(refused.status).toBe(409);
      expect((await json(refused)).code).toBe('user_terminated');
    }

    const entry = (await auditRows(a.business.id)).at(-1);
    expect(entry?.action).toBe('user.terminate');
    expect(entry?.before).toMatchObject({ status: 'active', extension: '42', overrideNumberId: a.numberIds[2] });
    expect(entry?.before.licence).toEqual({ calling: true, sms: true, voicemail: true, recording: false });
    expect(entry?.after).toMatchObject({ status: 'terminated', numberId: null, extension: null, licence: null });
  });

  it('two admins demoting each other at once leave one admin, and one audit entry per change made', async () => {
    const a = await adminOf();
    await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(a.user.id).run();
    const other = await signedIn(a.user.email, a.user.password);
    const results = await Promise.all([
      a.client.patch(`/api/admin/users/${a.user.id}`, { role: 'user' }),
      other.patch(`/api/admin/users/${a.admin.id}`, { role: 'user' }),
    ]);
    const made = results.filter((r) => r.status === 200).length;
    expect(made).toBe(1);
    const admins = await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE business_id = ? AND role = 'admin' AND status = 'active'")
      .bind(a.business.id)
      .first('n');
    expect(admins).toBe(1);
    expect(await auditRows(a.business.id)).toHaveLength(1);
  });

  it('an audited change that changes nothing writes nothing: no entry, no consequences', async () => {
    const a = await adminOf();
    await signedIn(a.user.email, a.user.password);
    const change = {
      businessId: a.business.id,
      actorId: a.admin.id,
      action: 'user.suspend' as const,
      target: { type: 'user' as const, id: a.user.id },
      before: {},
      after: {},
    };
    const nothing = env.DB.prepare("UPDATE users SET status = 'suspended' WHERE id = ? AND status = 'terminated'").bind(a.user.id);
    const consequence = revokeUserSessions(env.DB, a.business.id, a.user.id);
    await expect(audited(env.DB, nothing, change, { consequences: [consequence] })).rejects.toMatchObject({ code: 'changed_meanwhile' });
    expect(await auditRows(a.business.id)).toEqual([]);
    const live = await env.DB.prepare('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ? AND revoked_at IS NULL')
      .bind(a.user.id)
      .first('n');
    expect(live).toBe(1);
  });
});
