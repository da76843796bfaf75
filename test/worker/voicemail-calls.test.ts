import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { buildCall } from '../../worker/calls/build-record';
import { json, seedBusiness, signedIn } from './support/api';
import { deliver, edgeEvent, missedCallsFor, newCallId, recordOf, route } from './support/calls';
import { assignNumber } from './support/edge';
import { presenceStateOf } from './support/presence';

/** A UK number of the simulated phone network (nobody on the platform owns it). */
const EXTERNAL = '+441614960001';

async function business() {
  const b = await seedBusiness({ pool: 2, licensed: true });
  const [adminNumber] = b.numbers as [string];
  await assignNumber(b.business.id, adminNumber, b.admin.id);
  return { ...b, adminNumber };
}

/** The voicemail service picks up at `t + 20 s` for the admin's mailbox; the caller hangs up 35 s later. */
function voicemailEvents(callId: string, ownerId: string, t: number) {
  return [
    edgeEvent(callId, 'start', t),
    edgeEvent(callId, 'ringing', t + 300, { code: 180 }),
    edgeEvent(callId, 'answer', t + 20_000, { code: 200, user: ownerId, voicemail: true, contact: '<sip:voicemail@edge.invalid>' }),
    edgeEvent(callId, 'end', t + 55_000, { by: 'caller' }),
  ];
}

describe('a call that goes to voicemail', () => {
  it('inbound, unanswered, taken by the mailbox: outcome voicemail, nobody answered, connected time kept, nothing billed', async () => {
    const b = await business();
    const callId = newCallId();
    await route(callId, { source: 'phone_network', fromUser: EXTERNAL, to: b.adminNumber });
    const t = Date.now() - 120_000;
    expect((await deliver(voicemailEvents(callId, b.admin.id, t))).status).toBe(200);
    const record = await recordOf(callId);
    expect(record).toMatchObject({
      direction: 'inbound',
      outcome: 'voicemail',
      answered_at: null,
      answered_user_id: null,
      answered_contact: null,
      ended_at: t + 55_000,
      ended_by: 'caller',
      duration_ms: 35_000,
      billable_seconds: 0,
      cost_cents: 0,
    });
  });

  it('is a missed call for the callee (told once, by missed_call) and shows as voicemail in their history', async () => {
    const b = await business();
    const callId = newCallId();
    await route(callId, { source: 'phone_network', fromUser: EXTERNAL, to: b.adminNumber });
    await deliver(voicemailEvents(callId, b.admin.id, Date.now() - 120_000));
    const record = await recordOf(callId);
    expect(await missedCallsFor(b.business.id, b.admin.id)).toEqual([`missed_call:${record?.id}`]);

    const admin = await signedIn(b.admin.email, b.admin.password);
    const history = await json(await admin.get('/api/calls?filter=missed'));
    expect(history.calls).toEqual([
      expect.objectContaining({
        id: record?.id,
        outcome: 'voicemail',
        missed: true,
        answeredBy: null,
        answeredAt: null,
        remoteNumber: EXTERNAL,
      }),
    ]);
  });

  it('do-not-disturb with voicemail: the Worker sends it to the mailbox; a lost answer event still means voicemail', async () => {
    const b = await business();
    await env.DB.prepare('UPDATE users SET dnd = 1 WHERE id = ?').bind(b.admin.id).run();
    const withAnswer = newCallId();
    expect(await route(withAnswer, { source: 'client', fromUser: b.user.id, to: b.admin.id })).toMatchObject({
      action: 'voicemail',
      userId: b.admin.id,
    });
    const t = Date.now() - 60_000;
    await deliver([
      edgeEvent(withAnswer, 'start', t),
      edgeEvent(withAnswer, 'answer', t + 500, { user: b.admin.id, voicemail: true }),
      edgeEvent(withAnswer, 'end', t + 10_500, { by: 'caller' }),
    ]);
    expect(await recordOf(withAnswer)).toMatchObject({
      direction: 'internal',
      outcome: 'voicemail',
      duration_ms: 10_000,
      answered_user_id: null,
    });

    const lostAnswer = newCallId();
    await route(lostAnswer, { source: 'client', fromUser: b.user.id, to: b.admin.id });
    await deliver([edgeEvent(lostAnswer, 'start', t), edgeEvent(lostAnswer, 'end', t + 8_000, { by: 'caller' })]);
    expect(await recordOf(lostAnswer)).toMatchObject({ outcome: 'voicemail', answered_at: null });
  });

  it('the mailbox owner is not on a call while the caller leaves a message', async () => {
    const b = await business();
    const callId = newCallId();
    await route(callId, { source: 'client', fromUser: b.user.id, to: b.admin.id });
    const t = Date.now();
    await deliver([edgeEvent(callId, 'start', t), edgeEvent(callId, 'ringing', t + 10)]);
    expect(await presenceStateOf(b.business.id, b.admin.id, 'ringing')).toBe('ringing');
    await deliver([edgeEvent(callId, 'answer', t + 20_000, { user: b.admin.id, voicemail: true })]);
    // No live connection in this test: a user who is not on a call is offline.
    expect(await presenceStateOf(b.business.id, b.admin.id, 'offline')).toBe('offline');
    expect(await presenceStateOf(b.business.id, b.user.id, 'on_call')).toBe('on_call');
  });

  it('an answer by a person stays answered; the edge cannot make an outbound call a voicemail', () => {
    const routed = { action: 'ring', decision_code: null, routed_at: 0, target_user_ids: '["usr_a"]', rang_user_ids: '["usr_a"]' };
    const person = buildCall({ ...routed, direction: 'inbound' }, [
      edgeEvent('c', 'answer', 1000, { user: 'usr_a' }),
      edgeEvent('c', 'end', 5000, { by: 'callee' }),
    ]);
    expect(person).toMatchObject({ outcome: 'answered', answered_user_id: 'usr_a', answered_at: 1000, duration_ms: 4000 });

    const outbound = buildCall({ ...routed, action: 'phone_network', direction: 'outbound' }, [
      edgeEvent('c', 'answer', 1000, { voicemail: true }),
      edgeEvent('c', 'end', 61_000, { by: 'caller' }),
    ]);
    expect(outbound).toMatchObject({ outcome: 'answered', answered_at: 1000, duration_ms: 60_000 });
  });

  it('a voicemail call the edge never ended is closed by the sweep as voicemail, without billing time we cannot show', () => {
    const routed = {
      action: 'ring',
      decision_code: null,
      routed_at: 0,
      target_user_ids: '["usr_a"]',
      rang_user_ids: '["usr_a"]',
      direction: 'inbound' as const,
    };
    const swept = buildCall(
      routed,
      [edgeEvent('c', 'start', 100), edgeEvent('c', 'answer', 20_000, { user: 'usr_a', voicemail: true })],
      9e12,
    );
    expect(swept).toMatchObject({ outcome: 'voicemail', ended_by: 'sweep', ended_at: 20_000, duration_ms: 0, answered_user_id: null });
  });
});
