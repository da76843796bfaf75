import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { EDGE_SIGNATURE_HEADER, EDGE_TIMESTAMP_HEADER } from '../../shared/calls-api';
import { json } from './support/api';
import { deliver, edgeEvent, newCallId } from './support/calls';

const event = () => edgeEvent(newCallId(), 'start', Date.now() - 1000);

describe('POST /api/edge/events: only signed, fresh deliveries from the edge', () => {
  it('accepts a delivery signed with the shared secret over timestamp + body', async () => {
    const res = await deliver([event()]);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('refuses a delivery without a signature or timestamp, or with a malformed one', async () => {
    for (const signature of [null, 'sha256=abc', `v1=${'z'.repeat(64)}`, `v1=${'a'.repeat(63)}`, '']) {
      const res = await deliver([event()], { signature });
      expect(res.status).toBe(401);
      expect((await json(res)).code).toBe('edge_unsigned');
    }
    const noTimestamp = await SELF.fetch('https://app.test/api/edge/events', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [EDGE_SIGNATURE_HEADER]: `v1=${'a'.repeat(64)}` },
      body: '{"events":[]}',
    });
    expect((await json(noTimestamp)).code).toBe('edge_unsigned');
  });

  it('refuses another secret’s signature, and a body changed after signing', async () => {
    const wrong = await deliver([event()], { secret: 'not-the-edge-secret' });
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).code).toBe('edge_bad_signature');
    const e = event();
    const tampered = await deliver([e], { body: JSON.stringify({ events: [{ ...e, at: e.at + 1 }] }) });
    expect(tampered.status).toBe(401);
    expect((await json(tampered)).code).toBe('edge_bad_signature');
  });

  it('refuses a stale timestamp (a replayed delivery) and one from too far ahead, even when correctly signed', async () => {
    for (const skew of [-6 * 60_000, 6 * 60_000]) {
      const res = await deliver([event()], { timestamp: Date.now() + skew });
      expect(res.status).toBe(401);
      expect((await json(res)).code).toBe('edge_stale_timestamp');
    }
    // Four minutes of clock difference is fine.
    expect((await deliver([event()], { timestamp: Date.now() - 4 * 60_000 })).status).toBe(200);
  });

  it('the timestamp is part of what is signed: a signature moved to another time does not verify', async () => {
    const e = event();
    const now = Date.now();
    const { signature } = await signatureOf([e], now);
    const res = await deliver([e], { timestamp: now - 1000, signature });
    expect((await json(res)).code).toBe('edge_bad_signature');
  });

  it('the route decision’s bearer token is not a way in', async () => {
    const res = await SELF.fetch('https://app.test/api/edge/events', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Bearer test-edge-api-secret-not-for-production',
        [EDGE_TIMESTAMP_HEADER]: String(Date.now()),
      },
      body: JSON.stringify({ events: [event()] }),
    });
    expect(res.status).toBe(401);
  });

  it('refuses an oversized delivery before reading it', async () => {
    const res = await deliver([event()], { body: `{"events":[${'0,'.repeat(600_000)}0]}` });
    expect(res.status).toBe(413);
  });
});

/** The signature the helper would send for these events at this time. */
async function signatureOf(events: unknown[], timestamp: number) {
  const { edgeSigningKey, signEdgeBody } = await import('../../shared/calls-api');
  const { env } = await import('cloudflare:workers');
  const key = await edgeSigningKey(env.EDGE_API_SECRET, 'sign');
  return { signature: await signEdgeBody(key, String(timestamp), JSON.stringify({ events })) };
}
