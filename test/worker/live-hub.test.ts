import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { LIVE_PING_FRAME, LIVE_PROTOCOL_VERSION, parseServerMessage, type ServerMessage } from '../../shared/live-protocol';
import { HUB_IDENTITY_HEADERS, type LiveHub, type SocketIdentity } from '../../worker/live/hub';
import { derivePresence, strongestCall } from '../../worker/live/presence-model';
import { publishLiveEvent } from '../../worker/live/publish';
import { seedBusiness } from './support/api';
import { openHub, presenceOf } from './support/live-socket';

/** Opens a real WebSocket to a business's hub through a fetch upgrade. */
async function connect(business: string, user = 'usr_1', device = 'dev_1') {
  const stub = env.LIVE_HUB.getByName(business);
  const res = await stub.fetch('https://hub/connect', {
    headers: { Upgrade: 'websocket', [HUB_IDENTITY_HEADERS.user]: user, [HUB_IDENTITY_HEADERS.device]: device },
  });
  expect(res.status).toBe(101);
  const ws = res.webSocket;
  if (!ws) throw new Error('no WebSocket in the upgrade response');
  ws.accept();
  const inbox: ServerMessage[] = [];
  const waiters: Array<() => void> = [];
  ws.addEventListener('message', (event) => {
    const message = parseServerMessage(String(event.data));
    if (message) inbox.push(message);
    for (const wake of waiters.splice(0)) wake();
  });
  const next = async (): Promise<ServerMessage> => {
    while (inbox.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    return inbox.shift() as ServerMessage;
  };
  return { ws, stub, next, send: (value: unknown) => ws.send(typeof value === 'string' ? value : JSON.stringify(value)) };
}

describe('LiveHub (one Durable Object per business)', () => {
  it('upgrades and greets a client speaking our protocol', async () => {
    const client = await connect('biz_a');
    client.send({ type: 'hello', protocol: LIVE_PROTOCOL_VERSION, appVersion: 'test' });
    expect(await client.next()).toMatchObject({ type: 'welcome', protocol: LIVE_PROTOCOL_VERSION });
    client.send({ type: 'ping', t: 42 });
    expect(await client.next()).toMatchObject({ type: 'pong', t: 42 });
    client.ws.close();
  });

  it('tells an old client to reload and closes', async () => {
    const client = await connect('biz_a');
    const closed = new Promise<number>((resolve) => client.ws.addEventListener('close', (e) => resolve(e.code)));
    client.send({ type: 'hello', protocol: LIVE_PROTOCOL_VERSION - 1, appVersion: 'old' });
    expect(await client.next()).toMatchObject({ type: 'error', reason: 'incompatible_protocol', reload: true });
    expect(await closed).toBe(4000);
  });

  it('answers an unreadable message with an error, and stays open', async () => {
    const client = await connect('biz_a');
    client.send('not json');
    expect(await client.next()).toMatchObject({ type: 'error', reason: 'bad_message', reload: false });
    client.send({ type: 'ping', t: 1 });
    expect(await client.next()).toMatchObject({ type: 'pong' });
    client.ws.close();
  });

  it('keeps each socket identity in its attachment, per business', async () => {
    const a1 = await connect('biz_iso_a', 'usr_a', 'phone');
    const a2 = await connect('biz_iso_a', 'usr_a', 'laptop');
    const b1 = await connect('biz_iso_b', 'usr_b', 'phone');
    const identities = await runInDurableObject(a1.stub, (hub: LiveHub) => hub.connected());
    expect(identities.map((i) => `${i.userId}/${i.deviceId}`).sort()).toEqual(['usr_a/laptop', 'usr_a/phone']);
    const other = await runInDurableObject(b1.stub, (hub: LiveHub) => hub.connected());
    expect(other.map((i) => i.userId)).toEqual(['usr_b']);
    for (const c of [a1, a2, b1]) c.ws.close();
  });

  it('refuses a request that is not an upgrade', async () => {
    const res = await env.LIVE_HUB.getByName('biz_a').fetch('https://hub/connect');
    expect(res.status).toBe(426);
  });
});

describe('LiveHub presence', () => {
  it('derives presence from sockets, the media edge and do-not-disturb, most telling first', async () => {
    const biz = 'biz_edge';
    const stub = env.LIVE_HUB.getByName(biz);
    const watcher = await openHub(biz, 'usr_watch');
    await watcher.hello();
    expect(await stub.presence('usr_x')).toMatchObject({ state: 'offline', dnd: false });

    // A SIP registration alone makes a user online (the app may be closed).
    await stub.setRegistered('usr_x', true, { deviceId: 'desk-phone' });
    expect(await watcher.next(presenceOf('usr_x'))).toMatchObject({ cause: 'registration', user: { state: 'available' } });
    const call = (callId: string, state: 'idle' | 'ringing' | 'on_call') => stub.setCallStates([{ userId: 'usr_x', callId, state }]);
    await call('call_a', 'ringing');
    expect(await watcher.next(presenceOf('usr_x'))).toMatchObject({ cause: 'call', user: { state: 'ringing' } });
    // On one call beats ringing with another.
    await call('call_b', 'on_call');
    expect(await watcher.next(presenceOf('usr_x'))).toMatchObject({ user: { state: 'on_call' } });
    await call('call_a', 'idle');
    await watcher.expectQuiet();
    await stub.setDoNotDisturb('usr_x', true, 1000);
    // Still on a call; the switch shows beside it.
    expect(await watcher.next(presenceOf('usr_x'))).toMatchObject({ cause: 'dnd', user: { state: 'on_call', dnd: true } });
    await call('call_b', 'idle');
    expect(await watcher.next(presenceOf('usr_x'))).toMatchObject({ user: { state: 'dnd', dnd: true } });
    // An older switch change loses to the newer one.
    await stub.setDoNotDisturb('usr_x', false, 500);
    await watcher.expectQuiet();
    await stub.setRegistered('usr_x', false, { deviceId: 'desk-phone' });
    expect(await watcher.next(presenceOf('usr_x'))).toMatchObject({ user: { state: 'offline', dnd: true } });
    watcher.close();
  });

  it('keeps each call apart (call waiting): a second call neither hides nor ends the first; free only when none remains', async () => {
    const biz = 'biz_waiting';
    const stub = env.LIVE_HUB.getByName(biz);
    const watcher = await openHub(biz, 'usr_watch');
    await watcher.hello();
    const me = await openHub(biz, 'usr_w');
    await me.hello();
    expect(await watcher.next(presenceOf('usr_w'))).toMatchObject({ user: { state: 'available' } });
    const set = (callId: string, state: 'idle' | 'ringing' | 'on_call', at?: number) =>
      stub.setCallStates([{ userId: 'usr_w', callId, state, at }]);

    await set('call_first', 'on_call');
    expect(await watcher.next(presenceOf('usr_w'))).toMatchObject({ cause: 'call', user: { state: 'on_call' } });
    // A second call rings while they talk: still on a call, not ringing.
    expect(await set('call_second', 'ringing')).toEqual([expect.objectContaining({ state: 'on_call' })]);
    await watcher.expectQuiet();
    // The second caller gives up: still on the first call, not available.
    await set('call_second', 'idle');
    await watcher.expectQuiet();
    expect((await stub.presence('usr_w')).state).toBe('on_call');
    // They take a third while on the first, then hang up the first: still on the third.
    await set('call_third', 'on_call');
    await set('call_first', 'idle');
    await watcher.expectQuiet();
    // An event for a call so old its state has already run out changes nothing.
    await set('call_late', 'ringing', Date.now() - 3 * 60_000);
    await set('call_third', 'idle');
    expect(await watcher.next(presenceOf('usr_w'))).toMatchObject({ cause: 'call', user: { state: 'available' } });
    await watcher.expectQuiet();
    // Two deliveries' writes landing out of order (the end's before the answer's): the older state changes nothing.
    const t0 = Date.now() - 5_000;
    await set('call_fourth', 'idle', t0 + 2_000);
    expect(await set('call_fourth', 'on_call', t0)).toEqual([expect.objectContaining({ state: 'available' })]);
    await watcher.expectQuiet();
    await runInDurableObject(stub, (hub: LiveHub) =>
      expect(hub.setCallStates([{ userId: 'u', callId: 'c', state: 'talking' as never }])).rejects.toThrow(),
    );
    for (const s of [watcher, me]) s.close();
  });

  it('keeps edge state through an eviction, and lets a registration the edge stops renewing expire', async () => {
    const biz = 'biz_expiry';
    await env.LIVE_HUB.getByName(biz).setRegistered('usr_r', true, { expiresInMs: 60_000 });
    await abortAllDurableObjects();
    // A stub to an aborted object stays broken; the app (and the Worker) take a fresh one.
    const fresh = env.LIVE_HUB.getByName(biz);
    expect(await fresh.presence('usr_r')).toMatchObject({ state: 'available' });

    const watcher = await openHub(biz, 'usr_watch');
    await watcher.hello();
    // Long enough that the renewal itself still counts (1 ms could lapse before
    // the hub looked, turning the renewal into the change), short enough to wait out.
    await fresh.setRegistered('usr_r', true, { expiresInMs: 50 });
    await new Promise((r) => setTimeout(r, 60));
    expect(await runDurableObjectAlarm(fresh)).toBe(true);
    expect(await watcher.next(presenceOf('usr_r'))).toMatchObject({ cause: 'expiry', user: { state: 'offline' } });
    watcher.close();
  });

  it('wakes from real hibernation with its sockets: reloads do-not-disturb from D1 (active users only) and re-derives presence, calls kept', {
    timeout: 60_000,
  }, async () => {
    // What this exercises: the runtime evicts the idle object (workerd hibernates a Durable Object
    // whose only work is hibernatable sockets after ~10 s without events) and a client message makes it
    // construct a new instance: the constructor, start() reading D1, sockets and identities from the
    // runtime (getWebSockets, attachments), edge state from the object's SQLite. What it does not:
    // production's eviction timing, or a wake by the alarm instead of a message (the same constructor).
    const b = await seedBusiness();
    const biz = b.business.id;
    const stub = env.LIVE_HUB.getByName(biz);
    const watcher = await openHub(biz, 'usr_watch', 'watcher');
    await watcher.hello();
    const phone = await openHub(biz, b.user.id, 'phone');
    const laptop = await openHub(biz, b.user.id, 'laptop');
    await phone.hello();
    await laptop.hello();
    // The admin has do-not-disturb on (D1 first, then the hub, as the route does): named while offline.
    const t = Date.now();
    await env.DB.prepare('UPDATE users SET dnd = 1, dnd_changed_at = ? WHERE id = ?').bind(t, b.admin.id).run();
    await stub.setDoNotDisturb(b.admin.id, true, t);
    // The user is on one call with a second one ringing (call waiting).
    await stub.setCallStates([
      { userId: b.user.id, callId: 'call_talking', state: 'on_call' },
      { userId: b.user.id, callId: 'call_waiting', state: 'ringing' },
    ]);
    expect((await stub.snapshot()).map((e) => [e.userId, e.state, e.dnd]).sort()).toEqual([
      [b.admin.id, 'offline', true],
      [b.user.id, 'on_call', false],
      ['usr_watch', 'available', false],
    ]);
    watcher.inbox.length = 0;

    // While it sleeps, D1 changes and the hub is not told (a lost notification, a suspension).
    await env.DB.prepare('UPDATE users SET dnd = 1, dnd_changed_at = ? WHERE id = ?')
      .bind(t + 1, b.user.id)
      .run();
    await env.DB.prepare("UPDATE users SET status = 'suspended' WHERE id = ?").bind(b.admin.id).run();

    // Idle past the hibernation timeout, then a client message wakes it; start() announces what changed ('resync').
    let resync: ServerMessage[] = [];
    for (let attempt = 0; attempt < 3 && resync.length === 0; attempt++) {
      await new Promise((r) => setTimeout(r, 11_000));
      watcher.send({ type: 'ping', t: attempt });
      await watcher.next((m) => m.type === 'pong' && m.t === attempt);
      await new Promise((r) => setTimeout(r, 100));
      resync = watcher.inbox.filter((m) => m.type === 'presence' && m.cause === 'resync');
    }
    expect(resync).toEqual(
      expect.arrayContaining([
        // The switch from D1, beside the call kept in the object's storage; online through the sockets it kept.
        expect.objectContaining({ user: { userId: b.user.id, state: 'on_call', dnd: true, dndChangedAt: t + 1 } }),
        // A suspended user is nobody's colleague any more: plainly offline, and no longer named.
        expect.objectContaining({ user: { userId: b.admin.id, state: 'offline', dnd: false, dndChangedAt: null } }),
      ]),
    );
    watcher.inbox.length = 0;
    expect((await stub.snapshot()).map((e) => e.userId).sort()).toEqual([b.user.id, 'usr_watch'].sort());
    expect((await runInDurableObject(stub, (hub: LiveHub) => hub.connected())).map((i) => i.deviceId).sort()).toEqual([
      'laptop',
      'phone',
      'watcher',
    ]);

    // The calls survived apart: ending the one in progress leaves the one ringing.
    await stub.setCallStates([{ userId: b.user.id, callId: 'call_talking', state: 'idle' }]);
    expect(await watcher.next(presenceOf(b.user.id))).toMatchObject({ cause: 'call', user: { state: 'ringing' } });
    await stub.setCallStates([{ userId: b.user.id, callId: 'call_waiting', state: 'idle' }]);
    expect(await watcher.next(presenceOf(b.user.id))).toMatchObject({ user: { state: 'dnd' } });
    // Counts come from the sockets: one device leaving keeps the user online, the last one does not.
    phone.close();
    await phone.closed;
    await watcher.expectQuiet();
    laptop.close();
    expect(await watcher.next(presenceOf(b.user.id))).toMatchObject({ cause: 'disconnect', user: { state: 'offline', dnd: true } });
    watcher.close();
  });

  it('closes a socket that never says hello, and one that went silent', async () => {
    const biz = 'biz_sweep';
    const stub = env.LIVE_HUB.getByName(biz);
    const mute = await openHub(biz, 'usr_mute');
    const silent = await openHub(biz, 'usr_silent');
    await silent.hello();
    const watcher = await openHub(biz, 'usr_watch');
    await watcher.hello();
    // Pretend time passed: both sockets' last signs of life are long ago.
    await runInDurableObject(stub, (_hub: LiveHub, state) => {
      for (const ws of state.getWebSockets()) {
        const identity = ws.deserializeAttachment() as SocketIdentity;
        if (identity.userId !== 'usr_watch') ws.serializeAttachment({ ...identity, connectedAt: 0, seenAt: 0 });
      }
    });
    await runInDurableObject(stub, (hub: LiveHub) => {
      // biome-ignore lint/suspicious/noExplicitAny: drop cached identities so the edited attachments are read
      (hub as any).sockets = new (Object.getPrototypeOf((hub as any).sockets).constructor)((hub as any).ctx);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await mute.closed).toBe(4002);
    expect(await silent.closed).toBe(4002);
    expect(await watcher.next(presenceOf('usr_silent'))).toMatchObject({ user: { state: 'offline' } });
    expect(await stub.presence('usr_watch')).toMatchObject({ state: 'available' });
    watcher.close();
  });

  it('answers the bare keep-alive ping without involving the hub', async () => {
    const client = await openHub('biz_ping', 'usr_p');
    await client.hello();
    client.send(LIVE_PING_FRAME);
    expect(await client.next()).toEqual({ type: 'pong' });
    client.close();
  });
});

describe('LiveHub events', () => {
  it('sends an event to one user’s devices or to the whole business, and drops a repeated id', async () => {
    const biz = 'biz_events';
    const stub = env.LIVE_HUB.getByName(biz);
    const mine = [await openHub(biz, 'usr_me', 'phone'), await openHub(biz, 'usr_me', 'laptop')];
    const theirs = await openHub(biz, 'usr_them');
    for (const s of [...mine, theirs]) await s.hello();

    const event = { kind: 'new_sms', id: 'sms:m1', at: 1, messageId: 'm1', from: '+15005550006' } as const;
    const first = await stub.publish(event, { userId: 'usr_me' });
    expect(first).toMatchObject({ delivered: 2, duplicate: false });
    for (const s of mine) expect(await s.next((m) => m.type === 'event')).toMatchObject({ seq: first.seq, event });
    await theirs.expectQuiet();
    expect(await stub.publish(event, { userId: 'usr_me' })).toMatchObject({ seq: first.seq, delivered: 0, duplicate: true });
    for (const s of mine) await s.expectQuiet();

    const all = await stub.publish({ kind: 'contacts_changed', id: 'c:1', at: 2 });
    expect(all.seq).toBeGreaterThan(first.seq);
    for (const s of [...mine, theirs]) expect(await s.next((m) => m.type === 'event')).toMatchObject({ event: { id: 'c:1' } });
    // Inside the object: an RPC's rejection would also surface as unhandled in this shared test isolate.
    await runInDurableObject(stub, (hub: LiveHub) => expect(hub.publish({ kind: 'nonsense', id: 'x', at: 1 } as never)).rejects.toThrow());
    for (const s of [...mine, theirs]) s.close();
  });

  it('publishes through the helper with a generated id, retrying with the same one', async () => {
    const watcher = await openHub('biz_helper', 'usr_h');
    await watcher.hello();
    const result = await publishLiveEvent(env, 'biz_helper', { kind: 'licence_changed' });
    expect(result.delivered).toBe(1);
    const message = await watcher.next((m) => m.type === 'event');
    expect(message.type === 'event' && message.event.id).toMatch(/^evt_/);
    watcher.close();
  });
});

describe('presence model', () => {
  const base = { userId: 'u', sockets: 0, registered: false, call: null, dnd: undefined } as const;
  it('is offline with nothing connected, even with the switch on', () => {
    expect(derivePresence({ ...base, dnd: { on: true, changedAt: 5 } })).toEqual({
      userId: 'u',
      state: 'offline',
      dnd: true,
      dndChangedAt: 5,
    });
  });
  it('orders a call before ringing before do-not-disturb before available', () => {
    const dnd = { on: true, changedAt: 1 };
    expect(derivePresence({ ...base, sockets: 1 }).state).toBe('available');
    expect(derivePresence({ ...base, sockets: 1, dnd }).state).toBe('dnd');
    expect(derivePresence({ ...base, registered: true, call: 'ringing', dnd }).state).toBe('ringing');
    expect(derivePresence({ ...base, call: 'on_call' }).state).toBe('on_call');
    expect(strongestCall(['ringing', null, 'on_call', 'idle'])).toBe('on_call');
    expect(strongestCall(['idle', null])).toBeNull();
  });
});
