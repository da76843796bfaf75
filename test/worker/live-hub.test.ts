import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { LIVE_PROTOCOL_VERSION, parseServerMessage, type ServerMessage } from '../../shared/live-protocol';
import { HUB_IDENTITY_HEADERS, type LiveHub } from '../../worker/live/hub';

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
