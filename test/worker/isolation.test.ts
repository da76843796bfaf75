import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { json, seedBusiness, signedIn } from './support/api';

/**
 * No business ever sees or changes another's objects: for every route that
 * takes an object id, a user of another business gets 404 and nothing changes.
 */
describe('isolation between businesses', () => {
  it('sessions: another business cannot list or revoke mine', async () => {
    const a = await seedBusiness();
    const b = await seedBusiness();
    const victim = await signedIn(a.user.email, a.user.password);
    const attacker = await signedIn(b.admin.email, b.admin.password);
    const victimSession = (await json(await victim.get('/api/auth/sessions'))).sessions[0].id;
    const listed = (await json(await attacker.get('/api/auth/sessions'))).sessions.map((s: { id: string }) => s.id);
    expect(listed).not.toContain(victimSession);
    const res = await attacker.del(`/api/auth/sessions/${victimSession}`);
    expect(res.status).toBe(404);
    expect((await victim.get('/api/me')).status).toBe(200);
  });

  it('sessions: a colleague in the same business cannot revoke mine either', async () => {
    const a = await seedBusiness();
    const mine = await signedIn(a.user.email, a.user.password);
    const admin = await signedIn(a.admin.email, a.admin.password);
    const id = (await json(await mine.get('/api/auth/sessions'))).sessions[0].id;
    expect((await admin.del(`/api/auth/sessions/${id}`)).status).toBe(404);
    expect((await mine.get('/api/me')).status).toBe(200);
  });

  it('invitations: another business cannot list or revoke them', async () => {
    const a = await seedBusiness();
    const b = await seedBusiness();
    const adminA = await signedIn(a.admin.email, a.admin.password);
    const adminB = await signedIn(b.admin.email, b.admin.password);
    const inv = await json(await adminA.post('/api/admin/invitations', { email: 'only-a@x.example' }));
    expect((await json(await adminB.get('/api/admin/invitations'))).invitations).toEqual([]);
    expect((await adminB.del(`/api/admin/invitations/${inv.id}`)).status).toBe(404);
    expect(await env.DB.prepare('SELECT revoked_at FROM invitations WHERE id = ?').bind(inv.id).first('revoked_at')).toBeNull();
  });

  it('alerts and profile: each business sees only its own', async () => {
    const a = await seedBusiness({ pool: 0 });
    const b = await seedBusiness();
    const userA = await signedIn(a.user.email, a.user.password); // empty pool: raises A's alert
    expect((await json(await userA.get('/api/me'))).business.id).toBe(a.business.id);
    const adminA = await signedIn(a.admin.email, a.admin.password);
    const adminB = await signedIn(b.admin.email, b.admin.password);
    expect((await json(await adminA.get('/api/admin/alerts'))).alerts).toHaveLength(1);
    expect((await json(await adminB.get('/api/admin/alerts'))).alerts).toEqual([]);
    const meB = await json(await adminB.get('/api/me'));
    expect(meB.business.id).toBe(b.business.id);
    expect(meB.user.id).toBe(b.admin.id);
  });
});
