import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { LIVE_CLOSE, type ServerMessage } from '../../shared/live-protocol';
import type { LiveHub } from '../../worker/live/hub';
import { Client, json, seedBusiness, signedIn } from './support/api';
import { liveUpgrade, openLive, presenceOf } from './support/live-socket';

async function twoBusinesses() {
  const a = await seedBusiness();
  const b = await seedBusiness();
  return {
    a,
    b,
    aAdmin: await signedIn(a.admin.email, a.admin.password),
    aUser: await signedIn(a.user.email, a.user.password),
    bAdmin: await signedIn(b.admin.email, b.admin.password),
  };
}

describe('GET /api/live', () => {
  it('refuses without a session, from a foreign or missing origin, and without an upgrade', async () => {
    const a = await seedBusiness();
    const noSession = await liveUpgrade(new Client());
    expect(noSession.status).toBe(401);
    expect(await json(noSession)).toMatchObject({ code: 'not_signed_in' });

    const client = await signedIn(a.user.email, a.user.password);
    const foreign = await liveUpgrade(client, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await json(foreign)).toMatchObject({ code: 'bad_origin' });
    const missing = await liveUpgrade(client, { Origin: '' });
    expect(missing.status).toBe(403);

    const plain = await client.get('/api/live');
    expect(plain.status).toBe(426);
    expect(plain.headers.get('Content-Type')).toContain('application/problem+json');
  });

  it('accepts the app origin from the configuration as well as its own', async () => {
    const { user } = await seedBusiness();
    const client = await signedIn(user.email, user.password);
    const socket = await openLive(client, { Origin: env.APP_ORIGIN });
    const welcome = await socket.hello();
    expect(welcome.you.userId).toBe(user.id);
    expect(welcome.you.deviceId).toMatch(/^ses_/);
    socket.close();
  });

  it('fans a do-not-disturb change out to every socket of the business, and none of another', async () => {
    const { a, aAdmin, aUser, bAdmin } = await twoBusinesses();
    const adminPhone = await openLive(aAdmin);
    const adminLaptop = await openLive(aAdmin);
    const userPhone = await openLive(aUser);
    const other = await openLive(bAdmin);
    for (const s of [adminPhone, adminLaptop, userPhone, other]) await s.hello();

    const res = await aUser.call('PUT', '/api/me/dnd', { on: true });
    expect(res.status).toBe(200);
    for (const socket of [adminPhone, adminLaptop, userPhone]) {
      const m = await socket.next(presenceOf(a.user.id));
      expect(m).toMatchObject({ cause: 'dnd', user: { userId: a.user.id, state: 'dnd', dnd: true } });
    }
    await other.expectQuiet();
    for (const s of [adminPhone, adminLaptop, userPhone, other]) s.close();
  });

  it('keeps a user online while any of their devices is connected', async () => {
    const { a, aAdmin } = await twoBusinesses();
    const watcher = await openLive(aAdmin);
    await watcher.hello();
    const phone = await openLive(await signedIn(a.user.email, a.user.password));
    expect(await watcher.next(presenceOf(a.user.id))).toMatchObject({ cause: 'connect', user: { state: 'available' } });
    const laptop = await openLive(await signedIn(a.user.email, a.user.password));
    const [p, l] = [await phone.hello(), await laptop.hello()];
    expect(p.you.deviceId).not.toBe(l.you.deviceId);
    expect(l.presence.find((e) => e.userId === a.user.id)?.state).toBe('available');

    phone.close();
    await phone.closed;
    await watcher.expectQuiet(); // still online on the laptop
    laptop.close();
    expect(await watcher.next(presenceOf(a.user.id))).toMatchObject({ cause: 'disconnect', user: { state: 'offline' } });
    watcher.close();
  });

  it('is right again after the object is evicted: sockets reconnect, say hello, and do-not-disturb comes back from D1', async () => {
    const { a, aAdmin, aUser } = await twoBusinesses();
    const admin = await openLive(aAdmin);
    const user = await openLive(aUser);
    await admin.hello();
    await user.hello();
    await aUser.call('PUT', '/api/me/dnd', { on: true });
    await admin.next(presenceOf(a.user.id));

    await abortAllDurableObjects();
    // Eviction drops every socket; the apps reconnect.
    await Promise.all([admin.closed, user.closed]);
    const started = Date.now();
    const again = await openLive(aAdmin);
    const welcome = await again.hello();
    // Only the admin is back: the user shows as offline, with the switch D1 holds.
    expect(welcome.presence.find((e) => e.userId === a.user.id)).toMatchObject({ state: 'offline', dnd: true });
    expect(welcome.presence.find((e) => e.userId === a.admin.id)).toMatchObject({ state: 'available' });
    const userAgain = await openLive(aUser);
    await userAgain.hello();
    expect(await again.next(presenceOf(a.user.id))).toMatchObject({ user: { state: 'dnd', dnd: true } });
    expect(Date.now() - started).toBeLessThan(5000);
    again.close();
    userAgain.close();
  });

  it('closes the sockets of a session that ended, telling the app why', async () => {
    const { a, aUser } = await twoBusinesses();
    const socket = await openLive(aUser);
    await socket.hello();
    expect((await aUser.post('/api/auth/signout')).status).toBeLessThan(300);
    const hub = env.LIVE_HUB.getByName(a.business.id);
    await runInDurableObject(hub, (_hub: LiveHub, state) => state.storage.kv.delete('sessionsCheckedAt'));
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    expect(await socket.next((m) => m.type === 'error')).toMatchObject({ reason: 'session_ended', reload: false });
    expect(await socket.closed).toBe(LIVE_CLOSE.sessionEnded);
  });

  it('replays events a device missed while away, and never the same event twice', async () => {
    const { a, aUser } = await twoBusinesses();
    const hub = env.LIVE_HUB.getByName(a.business.id);
    const first = await openLive(aUser);
    const { lastSeq } = await first.hello();
    first.close();
    await first.closed;

    await hub.publish(
      { kind: 'missed_call', id: 'missed_call:c1', at: Date.now(), callId: 'c1', from: '+447700900001' },
      { userId: a.user.id },
    );
    await hub.publish(
      { kind: 'missed_call', id: 'missed_call:c1', at: Date.now(), callId: 'c1', from: '+447700900001' },
      { userId: a.user.id },
    );
    await hub.publish({ kind: 'new_voicemail', id: 'vm:other', at: Date.now() }, { userId: a.admin.id });
    await hub.publish({ kind: 'licence_changed', id: 'lic:1', at: Date.now() });

    const back = await openLive(aUser);
    await back.hello(lastSeq);
    const replayed: ServerMessage[] = [];
    replayed.push(await back.next((m) => m.type === 'event'));
    replayed.push(await back.next((m) => m.type === 'event'));
    expect(replayed.map((m) => (m.type === 'event' ? m.event.id : ''))).toEqual(['missed_call:c1', 'lic:1']);
    await back.expectQuiet();
    back.close();
  });
});
