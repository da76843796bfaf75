import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { isDoNotDisturb } from '../../worker/presence/dnd';
import { Client, json, seedBusiness, signedIn } from './support/api';
import { openLive } from './support/live-socket';

describe('PUT /api/me/dnd', () => {
  it('validates the body', async () => {
    const { user } = await seedBusiness();
    const client = await signedIn(user.email, user.password);
    for (const body of [{}, { on: 'yes' }, { on: 1 }, { on: true, userId: 'someone-else' }]) {
      const res = await client.call('PUT', '/api/me/dnd', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(await json(res)).toMatchObject({ code: 'validation_failed' });
    }
    const broken = await client.call('PUT', '/api/me/dnd', undefined, { 'Content-Type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(await isDoNotDisturb(env.DB, (await json(await client.get('/api/me'))).business.id, user.id)).toBe(false);
  });

  it('needs a session and our own origin', async () => {
    const { user } = await seedBusiness();
    expect((await new Client().call('PUT', '/api/me/dnd', { on: true })).status).toBe(401);
    expect((await new Client().get('/api/me/dnd')).status).toBe(401);
    const client = await signedIn(user.email, user.password);
    const res = await client.call('PUT', '/api/me/dnd', { on: true }, { Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });

  it('stores the switch in D1 for the caller only, and keeps the time of the last real change', async () => {
    const a = await seedBusiness();
    const b = await seedBusiness();
    const client = await signedIn(a.user.email, a.user.password);
    expect(await json(await client.get('/api/me/dnd'))).toEqual({ on: false, changedAt: null });

    const on = await json(await client.call('PUT', '/api/me/dnd', { on: true }));
    expect(on).toMatchObject({ on: true, changedAt: expect.any(Number) });
    expect(await isDoNotDisturb(env.DB, a.business.id, a.user.id)).toBe(true);
    expect(await isDoNotDisturb(env.DB, a.business.id, a.admin.id)).toBe(false);
    // The same user id asked under another business is not on do-not-disturb (every read is scoped).
    expect(await isDoNotDisturb(env.DB, b.business.id, a.user.id)).toBe(false);
    expect(await isDoNotDisturb(env.DB, a.business.id, 'usr_nobody')).toBe(false);

    const again = await json(await client.call('PUT', '/api/me/dnd', { on: true }));
    expect(again.changedAt).toBe(on.changedAt);
    const off = await json(await client.call('PUT', '/api/me/dnd', { on: false }));
    expect(off.on).toBe(false);
    expect(off.changedAt).toBeGreaterThanOrEqual(on.changedAt);
    expect(await isDoNotDisturb(env.DB, a.business.id, a.user.id)).toBe(false);
  });

  it('reaches every device of the user and the hub’s presence', async () => {
    const { business, user } = await seedBusiness();
    const phone = await signedIn(user.email, user.password);
    const laptop = await signedIn(user.email, user.password);
    const socket = await openLive(laptop);
    await socket.hello();
    await phone.call('PUT', '/api/me/dnd', { on: true });
    expect(await socket.next((m) => m.type === 'presence' && m.cause === 'dnd')).toMatchObject({ user: { userId: user.id, dnd: true } });
    expect(await env.LIVE_HUB.getByName(business.id).presence(user.id)).toMatchObject({ state: 'dnd', dnd: true });
    socket.close();
  });
});

describe('GET /api/presence/colleagues', () => {
  it('lists the caller’s colleagues by name with their state, never another business’s users', async () => {
    const a = await seedBusiness();
    const b = await seedBusiness();
    const admin = await signedIn(a.admin.email, a.admin.password);
    const user = await signedIn(a.user.email, a.user.password);
    await signedIn(b.user.email, b.user.password);
    await user.call('PUT', '/api/me/dnd', { on: true });

    const offline = await json(await admin.get('/api/presence/colleagues'));
    expect(offline).toEqual({ colleagues: [{ userId: a.user.id, name: 'User', extension: null, state: 'offline', dnd: true }] });

    const socket = await openLive(user);
    await socket.hello();
    const online = await json(await admin.get('/api/presence/colleagues'));
    expect(online.colleagues).toEqual([{ userId: a.user.id, name: 'User', extension: null, state: 'dnd', dnd: true }]);

    const fromUser = await json(await user.get('/api/presence/colleagues'));
    expect(fromUser.colleagues.map((c: { userId: string }) => c.userId)).toEqual([a.admin.id]);
    socket.close();
  });

  it('gives each colleague’s extension (what the app dials), never another business’s', async () => {
    const a = await seedBusiness();
    const b = await seedBusiness();
    const admin = await signedIn(a.admin.email, a.admin.password);
    const user = await signedIn(a.user.email, a.user.password);
    const otherAdmin = await signedIn(b.admin.email, b.admin.password);
    expect((await admin.patch(`/api/admin/users/${a.user.id}/extension`, { extension: '201' })).status).toBe(200);
    // The same extension in another business belongs to someone else there.
    expect((await otherAdmin.patch(`/api/admin/users/${b.user.id}/extension`, { extension: '202' })).status).toBe(200);

    const fromAdmin = await json(await admin.get('/api/presence/colleagues'));
    expect(fromAdmin.colleagues).toEqual([expect.objectContaining({ userId: a.user.id, extension: '201' })]);
    const fromUser = await json(await user.get('/api/presence/colleagues'));
    expect(fromUser.colleagues).toEqual([expect.objectContaining({ userId: a.admin.id, extension: null })]);

    expect((await admin.del(`/api/admin/users/${a.user.id}/extension`)).status).toBe(204);
    expect((await json(await admin.get('/api/presence/colleagues'))).colleagues[0].extension).toBeNull();
  });

  it('needs a session', async () => {
    expect((await new Client().get('/api/presence/colleagues')).status).toBe(401);
  });
});
