import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { HistoryCall, HistoryPage } from '../../shared/calls-api';
import { json, seedBusiness, signedIn } from './support/api';
import { deliver, edgeEvent, newCallId, recordOf, route } from './support/calls';
import { assignNumber } from './support/edge';

const EXTERNAL = '+441614960001';

/** A business with numbers for both people, both signed in. */
async function business() {
  const b = await seedBusiness({ pool: 3, licensed: true });
  const [userNumber, adminNumber] = b.numbers as [string, string];
  await assignNumber(b.business.id, userNumber, b.user.id);
  await assignNumber(b.business.id, adminNumber, b.admin.id);
  const user = await signedIn(b.user.email, b.user.password);
  const admin = await signedIn(b.admin.email, b.admin.password);
  return { ...b, userNumber, adminNumber, userClient: user, adminClient: admin };
}
type Biz = Awaited<ReturnType<typeof business>>;

/** Places a call through the routing decision, then the edge's events: answered (seconds > 0) or failed with a code. */
async function call(b: Biz, kind: 'internal' | 'outbound' | 'inbound', result: { seconds: number } | { failed: number }) {
  const callId = newCallId();
  if (kind === 'internal') await route(callId, { source: 'client', fromUser: b.user.id, to: b.admin.id });
  if (kind === 'outbound') await route(callId, { source: 'client', fromUser: b.user.id, to: EXTERNAL });
  if (kind === 'inbound') await route(callId, { source: 'phone_network', fromUser: EXTERNAL, to: b.userNumber });
  const t0 = Date.now() - 120_000;
  const answerer = kind === 'internal' ? b.admin.id : kind === 'inbound' ? b.user.id : undefined;
  await deliver(
    'seconds' in result
      ? [
          edgeEvent(callId, 'start', t0),
          edgeEvent(callId, 'answer', t0 + 1000, { user: answerer }),
          edgeEvent(callId, 'end', t0 + 1000 + result.seconds * 1000, { by: 'caller' }),
        ]
      : [
          edgeEvent(callId, 'start', t0),
          edgeEvent(callId, 'ringing', t0 + 100),
          edgeEvent(callId, 'failed', t0 + 9000, { code: result.failed }),
        ],
  );
  return (await recordOf(callId))?.id as string;
}

const page = async (client: Biz['userClient'], query = ''): Promise<HistoryPage> => {
  const res = await client.get(`/api/calls${query}`);
  expect(res.status).toBe(200);
  return json(res);
};

describe('GET /api/calls: the user’s own calls', () => {
  it('newest first, each from this user’s side, with colleagues’ names and contacts’ names', async () => {
    const b = await business();
    await env.DB.prepare("UPDATE users SET name = 'Ada Admin' WHERE id = ?").bind(b.admin.id).run();
    const created = await b.userClient.post('/api/contacts', {
      firstName: 'Manchester',
      lastName: 'Office',
      numbers: [{ value: EXTERNAL }],
    });
    expect(created.status).toBe(201);
    const internal = await call(b, 'internal', { seconds: 30 });
    const outbound = await call(b, 'outbound', { seconds: 61 });
    const inbound = await call(b, 'inbound', { failed: 487 });

    const mine = await page(b.userClient);
    expect(mine.calls.map((c) => c.id)).toEqual([inbound, outbound, internal]);
    const [missed, out, colleague] = mine.calls as [HistoryCall, HistoryCall, HistoryCall];
    expect(missed).toMatchObject({
      kind: 'inbound',
      direction: 'incoming',
      outcome: 'missed',
      missed: true,
      remoteNumber: EXTERNAL,
      ourNumber: b.userNumber,
      contactName: 'Manchester Office',
      callBack: EXTERNAL,
    });
    expect(out).toMatchObject({
      kind: 'outbound',
      direction: 'outgoing',
      outcome: 'answered',
      durationSeconds: 61,
      ourNumber: b.userNumber,
    });
    expect(colleague).toMatchObject({
      kind: 'internal',
      direction: 'outgoing',
      colleague: { userId: b.admin.id, name: 'Ada Admin' },
      callBack: b.admin.id,
      remoteNumber: null,
      contactName: null,
    });

    // The admin sees the internal call, incoming and answered by them, and nothing of the user's other calls.
    const theirs = await page(b.adminClient);
    expect(theirs.calls).toHaveLength(1);
    expect(theirs.calls[0]).toMatchObject({ id: internal, direction: 'incoming', answeredBy: { userId: b.admin.id }, missed: false });
  });

  it('filters: missed, incoming, outgoing', async () => {
    const b = await business();
    const out = await call(b, 'outbound', { seconds: 5 });
    const answeredIn = await call(b, 'inbound', { seconds: 5 });
    const missedIn = await call(b, 'inbound', { failed: 408 });
    const declinedIn = await call(b, 'inbound', { failed: 603 });
    expect((await page(b.userClient, '?filter=missed')).calls.map((c) => c.id)).toEqual([missedIn]);
    expect((await page(b.userClient, '?filter=incoming')).calls.map((c) => c.id)).toEqual([declinedIn, missedIn, answeredIn]);
    expect((await page(b.userClient, '?filter=outgoing')).calls.map((c) => c.id)).toEqual([out]);
    expect((await b.userClient.get('/api/calls?filter=everything')).status).toBe(422);
    expect((await b.userClient.get('/api/calls?cursor=nonsense')).status).toBe(422);
  });

  it('keyset pages stay stable while calls are added: nothing skipped, nothing twice', async () => {
    const b = await business();
    const before: string[] = [];
    for (let i = 0; i < 12; i++) before.push(await call(b, 'outbound', { seconds: 1 }));
    const first = await page(b.userClient, '?limit=5');
    expect(first.calls).toHaveLength(5);
    // New calls arrive while the user scrolls.
    const added = [await call(b, 'outbound', { seconds: 1 }), await call(b, 'inbound', { failed: 487 })];
    const seen = first.calls.map((c) => c.id);
    let next = first.next;
    while (next) {
      const more = await page(b.userClient, `?limit=5&cursor=${encodeURIComponent(next)}`);
      seen.push(...more.calls.map((c) => c.id));
      next = more.next;
    }
    expect(seen).toEqual([...before].reverse());
    expect(new Set(seen).size).toBe(12);
    // A fresh first page shows the new ones on top.
    expect((await page(b.userClient, '?limit=2')).calls.map((c) => c.id)).toEqual([...added].reverse());
  });

  it('needs a session', async () => {
    const { Client } = await import('./support/api');
    expect((await new Client().get('/api/calls')).status).toBe(401);
    expect((await new Client().get('/api/calls/unseen-missed')).status).toBe(401);
    expect((await new Client().post('/api/calls/seen')).status).toBe(401);
  });
});

describe('the missed-call badge', () => {
  it('counts missed calls not yet seen; seeing them clears it; a new missed call counts again', async () => {
    const b = await business();
    await call(b, 'inbound', { failed: 487 });
    await call(b, 'inbound', { failed: 480 });
    await call(b, 'inbound', { seconds: 3 });
    expect(await json(await b.userClient.get('/api/calls/unseen-missed'))).toEqual({ count: 2 });
    expect(await json(await b.userClient.post('/api/calls/seen'))).toEqual({ count: 0 });
    expect(await json(await b.userClient.get('/api/calls/unseen-missed'))).toEqual({ count: 0 });
    await call(b, 'inbound', { failed: 487 });
    expect(await json(await b.userClient.get('/api/calls/unseen-missed'))).toEqual({ count: 1 });
    // Seen up to a time before the new one: it stays unseen.
    expect(await json(await b.userClient.post('/api/calls/seen', { through: 1 }))).toEqual({ count: 1 });
    expect((await b.userClient.post('/api/calls/seen', { through: 'soon' })).status).toBe(422);
  });
});

describe('isolation between businesses and users', () => {
  it('another business’s user sees none of these calls, and cannot clear their badge', async () => {
    const a = await business();
    const other = await business();
    await call(a, 'inbound', { failed: 487 });
    await call(a, 'outbound', { seconds: 10 });
    expect((await page(other.userClient)).calls).toEqual([]);
    expect((await page(other.adminClient)).calls).toEqual([]);
    await other.userClient.post('/api/calls/seen');
    expect(await json(await a.userClient.get('/api/calls/unseen-missed'))).toEqual({ count: 1 });
    expect(await json(await other.userClient.get('/api/calls/unseen-missed'))).toEqual({ count: 0 });
  });

  it('a colleague sees only the calls they were a party to', async () => {
    const b = await business();
    await call(b, 'outbound', { seconds: 10 });
    await call(b, 'inbound', { failed: 487 });
    expect((await page(b.adminClient)).calls).toEqual([]);
  });
});
