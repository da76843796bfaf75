import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { CallRow } from '../../worker/calls/call-row';
import { json, seedBusiness } from './support/api';
import { deliver, edgeEvent, missedCallsFor, newCallId, recordOf, route } from './support/calls';
import { askRoute, assignNumber } from './support/edge';

/** A UK number of the simulated phone network (nobody on the platform owns it). */
const EXTERNAL = '+441614960001';

/** A licensed business: the user and the admin each hold one of its numbers. */
async function business() {
  const b = await seedBusiness({ pool: 3, licensed: true });
  const [userNumber, adminNumber] = b.numbers as [string, string];
  await assignNumber(b.business.id, userNumber, b.user.id);
  await assignNumber(b.business.id, adminNumber, b.admin.id);
  return { ...b, userNumber, adminNumber };
}

/** The user rings the admin (internal); returns the Call-ID. */
async function internalCall(b: Awaited<ReturnType<typeof business>>) {
  const callId = newCallId();
  expect(await route(callId, { source: 'client', fromUser: b.user.id, to: b.admin.id })).toMatchObject({ action: 'ring' });
  return callId;
}

/** The events of a call answered by the admin's device after ringing, hung up by the caller 42.5 s later. */
function answeredEvents(callId: string, adminId: string, t0 = Date.now() - 60_000) {
  return [
    edgeEvent(callId, 'start', t0, { source: 'client', from: 'usr_x', to: adminId }),
    edgeEvent(callId, 'ringing', t0 + 300, { code: 180 }),
    edgeEvent(callId, 'answer', t0 + 4_000, { code: 200, user: adminId, contact: '<sip:dev1@abc.invalid;transport=ws>' }),
    edgeEvent(callId, 'end', t0 + 46_500, { by: 'caller' }),
  ];
}

/** A record without its bookkeeping, for comparing two builds. */
const essence = (row: CallRow | null) => {
  const { updated_at: _u, id: _i, routed_at: _r, ...rest } = row ?? ({} as Partial<CallRow>);
  return rest;
};

describe('the routing decision writes the call’s record', () => {
  it('keyed by Call-ID, with the business, direction, parties and decision; the edge’s events are not needed for that', async () => {
    const b = await business();
    const callId = await internalCall(b);
    const record = await recordOf(callId);
    expect(record).toMatchObject({
      business_id: b.business.id,
      direction: 'internal',
      caller_user_id: b.user.id,
      target_user_ids: JSON.stringify([b.admin.id]),
      rang_user_ids: JSON.stringify([b.admin.id]),
      action: 'ring',
      outcome: null,
      ended_at: null,
    });
    const parties = await env.DB.prepare('SELECT user_id, role FROM call_parties WHERE business_id = ? AND call_id = ? ORDER BY role')
      .bind(b.business.id, record?.id)
      .all();
    expect(parties.results).toEqual([
      { user_id: b.admin.id, role: 'callee' },
      { user_id: b.user.id, role: 'caller' },
    ]);
  });

  it('outbound: the remote number and the caller’s business number; inbound: the caller’s number and ours', async () => {
    const b = await business();
    const out = newCallId();
    await route(out, { source: 'client', fromUser: b.user.id, to: '0161 496 0001' });
    expect(await recordOf(out)).toMatchObject({
      direction: 'outbound',
      remote_number: EXTERNAL,
      our_number: b.userNumber,
      action: 'phone_network',
    });
    const inbound = newCallId();
    await route(inbound, { source: 'phone_network', fromUser: EXTERNAL, to: b.adminNumber });
    expect(await recordOf(inbound)).toMatchObject({
      direction: 'inbound',
      remote_number: EXTERNAL,
      our_number: b.adminNumber,
      caller_user_id: null,
      target_user_ids: JSON.stringify([b.admin.id]),
    });
  });

  it('a call nobody on the platform can be attributed to gets no record', async () => {
    const callId = newCallId();
    await route(callId, { source: 'phone_network', fromUser: EXTERNAL, to: '+442079469999' });
    expect(await recordOf(callId)).toBeNull();
  });

  it('a Call-ID names one call: the same request again keeps the record, another call reusing it is refused', async () => {
    const b = await business();
    const callId = await internalCall(b);
    const first = await recordOf(callId);
    expect(await route(callId, { source: 'client', fromUser: b.user.id, to: b.admin.id })).toMatchObject({ action: 'ring' });
    expect((await recordOf(callId))?.id).toBe(first?.id);
    expect(await json(await askRoute({ callId, source: 'client', fromUser: b.admin.id, to: EXTERNAL }))).toEqual({
      action: 'reject',
      code: 403,
      reason: 'Call-ID already used',
    });
    expect(await recordOf(callId)).toMatchObject({ caller_user_id: b.user.id, direction: 'internal' });
  });
});

describe('POST /api/edge/events: records built from the edge’s signed events', () => {
  it('one record for a call that rang several devices: answered by one, duration from answer to BYE, who hung up', async () => {
    const b = await business();
    const callId = await internalCall(b);
    const events = answeredEvents(callId, b.admin.id);
    const res = await deliver(events);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ accepted: events.map((e) => e.id), duplicates: [], rejected: [] });
    expect(await recordOf(callId)).toMatchObject({
      outcome: 'answered',
      started_at: events[0]?.at,
      ringing_at: events[1]?.at,
      answered_at: events[2]?.at,
      answered_user_id: b.admin.id,
      answered_contact: '<sip:dev1@abc.invalid;transport=ws>',
      ended_at: events[3]?.at,
      ended_by: 'caller',
      duration_ms: 42_500,
      cost_cents: 0,
      events: 4,
    });
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM calls WHERE call_id = ?').bind(callId).first('n')) as number).toBe(1);
  });

  it('duplicates (in one delivery and across deliveries) are acknowledged, not applied again', async () => {
    const b = await business();
    const callId = await internalCall(b);
    const events = answeredEvents(callId, b.admin.id);
    const first = await json(await deliver([...events, events[2]]));
    expect(first.accepted).toHaveLength(4);
    const built = await recordOf(callId);
    const again = await json(await deliver(events));
    expect(again).toEqual({ accepted: [], duplicates: events.map((e) => e.id), rejected: [] });
    expect(await recordOf(callId)).toEqual(built);
  });

  it('out of order, one at a time, gives the same record as in order', async () => {
    const b = await business();
    const inOrder = await internalCall(b);
    const shuffled = await internalCall(b);
    const t0 = Date.now() - 90_000;
    await deliver(answeredEvents(inOrder, b.admin.id, t0));
    const events = answeredEvents(shuffled, b.admin.id, t0);
    for (const i of [3, 1, 2, 0]) await deliver([events[i]]);
    expect(essence(await recordOf(shuffled))).toEqual({ ...essence(await recordOf(inOrder)), call_id: shuffled });
  });

  it('missing events: no start takes the earliest event; a BYE without its answer still means answered, completed when the answer comes', async () => {
    const b = await business();
    const callId = await internalCall(b);
    const [, ringing, answer, end] = answeredEvents(callId, b.admin.id);
    await deliver([end]);
    expect(await recordOf(callId)).toMatchObject({ outcome: 'answered', answered_at: null, ended_at: end?.at, duration_ms: 0 });
    await deliver([ringing, answer]);
    expect(await recordOf(callId)).toMatchObject({
      outcome: 'answered',
      started_at: ringing?.at,
      answered_at: answer?.at,
      duration_ms: 42_500,
    });
  });

  it('an answer naming someone the Worker did not ring (another business’s user) is not believed', async () => {
    const b = await business();
    const other = await seedBusiness();
    const callId = await internalCall(b);
    await deliver([edgeEvent(callId, 'answer', Date.now() - 1000, { user: other.user.id, contact: '<sip:x@y.invalid>' })]);
    expect(await recordOf(callId)).toMatchObject({ outcome: 'answered', answered_user_id: null, answered_contact: null });
  });

  it('unanswered inbound: missed for the callee, who is told once however often the events come', async () => {
    const b = await business();
    const callId = newCallId();
    await route(callId, { source: 'phone_network', fromUser: EXTERNAL, to: b.adminNumber });
    const t0 = Date.now() - 30_000;
    const events = [
      edgeEvent(callId, 'start', t0),
      edgeEvent(callId, 'ringing', t0 + 200, { code: 180 }),
      edgeEvent(callId, 'failed', t0 + 20_000, { code: 487, reason: 'Request Terminated' }),
    ];
    await deliver(events);
    const record = await recordOf(callId);
    expect(record).toMatchObject({ outcome: 'missed', final_code: 487, ended_by: 'caller', ended_at: t0 + 20_000, duration_ms: 0 });
    const party = await env.DB.prepare('SELECT missed FROM call_parties WHERE business_id = ? AND user_id = ? AND call_id = ?')
      .bind(b.business.id, b.admin.id, record?.id)
      .first('missed');
    expect(party).toBe(1);
    expect(await missedCallsFor(b.business.id, b.admin.id)).toEqual([`missed_call:${record?.id}`]);
    await deliver(events);
    await deliver([edgeEvent(callId, 'ringing', t0 + 100, { id: `${callId}#ringing#2` } as never)]);
    expect(await missedCallsFor(b.business.id, b.admin.id, 2)).toEqual([`missed_call:${record?.id}`]);
  });

  it('the callee declining (603) is a decline, not missed; busy (486) from a ring or the phone network is busy; a block is blocked', async () => {
    const b = await business();
    const declined = await internalCall(b);
    await deliver([edgeEvent(declined, 'failed', Date.now() - 1000, { code: 603 })]);
    expect(await recordOf(declined)).toMatchObject({ outcome: 'declined', ended_by: 'callee' });

    // A ring the edge ended busy (a device busy, or no voicemail behind a ring nobody answered): missed for
    // the callee, who is told of this call only (not of the one they declined).
    const rangBusy = await internalCall(b);
    await deliver([edgeEvent(rangBusy, 'failed', Date.now() - 1000, { code: 486 })]);
    const rangBusyRecord = await recordOf(rangBusy);
    expect(rangBusyRecord).toMatchObject({ outcome: 'busy', final_code: 486 });
    expect(await missedCallsFor(b.business.id, b.admin.id)).toEqual([`missed_call:${rangBusyRecord?.id}`]);

    const busy = newCallId();
    await route(busy, { source: 'client', fromUser: b.user.id, to: EXTERNAL });
    await deliver([edgeEvent(busy, 'failed', Date.now() - 1000, { code: 486 })]);
    expect(await recordOf(busy)).toMatchObject({ outcome: 'busy', direction: 'outbound', cost_cents: 0 });

    await env.DB.prepare('UPDATE businesses SET plan = ?, spending_limit_cents = 0 WHERE id = ?').bind('payg', b.business.id).run();
    const blocked = newCallId();
    expect(await route(blocked, { source: 'client', fromUser: b.user.id, to: EXTERNAL })).toMatchObject({ action: 'block' });
    await deliver([edgeEvent(blocked, 'start', Date.now() - 1000), edgeEvent(blocked, 'failed', Date.now() - 900, { code: 403 })]);
    expect(await recordOf(blocked)).toMatchObject({ outcome: 'blocked', final_code: 403, plan: 'payg' });
  });

  it('do-not-disturb without voicemail: busy for the caller, a missed call for the callee', async () => {
    const b = await business();
    await env.DB.prepare('UPDATE users SET dnd = 1 WHERE id = ?').bind(b.admin.id).run();
    await env.DB.prepare('UPDATE user_licences SET voicemail = 0 WHERE user_id = ?').bind(b.admin.id).run();
    const callId = newCallId();
    expect(await route(callId, { source: 'client', fromUser: b.user.id, to: b.admin.id })).toMatchObject({ action: 'reject', code: 486 });
    await deliver([edgeEvent(callId, 'start', Date.now() - 500), edgeEvent(callId, 'failed', Date.now() - 400, { code: 486 })]);
    const record = await recordOf(callId);
    expect(record).toMatchObject({ outcome: 'busy', target_user_ids: JSON.stringify([b.admin.id]), rang_user_ids: '[]' });
    expect(await missedCallsFor(b.business.id, b.admin.id)).toEqual([`missed_call:${record?.id}`]);
  });

  it('events of a call with no record are kept unattributed; a malformed event is refused alone', async () => {
    const b = await business();
    const callId = await internalCall(b);
    const orphan = newCallId();
    const good = edgeEvent(callId, 'start', Date.now() - 100);
    const res = await json(
      await deliver([good, edgeEvent(orphan, 'start', Date.now() - 100), { id: 'bad#1', type: 'exploded', callId }, 'nonsense']),
    );
    expect(res.accepted).toEqual([good.id, `${orphan}#start`]);
    expect(res.rejected).toHaveLength(2);
    expect(res.rejected[0]).toMatchObject({ id: 'bad#1' });
    const stored = await env.DB.prepare('SELECT id, business_id FROM call_events WHERE call_id IN (?, ?) ORDER BY id')
      .bind(callId, orphan)
      .all();
    expect(stored.results).toContainEqual({ id: `${orphan}#start`, business_id: null });
    expect(stored.results).toContainEqual({ id: good.id, business_id: b.business.id });
    expect(await recordOf(orphan)).toBeNull();
  });

  it('an event too old to apply is refused for good (its call’s other events may be gone)', async () => {
    const b = await business();
    const callId = await internalCall(b);
    const res = await json(await deliver([edgeEvent(callId, 'end', Date.now() - 40 * 86_400_000, { by: 'caller' })]));
    expect(res.rejected).toEqual([{ id: `${callId}#end`, reason: 'too old to apply' }]);
    expect(await recordOf(callId)).toMatchObject({ outcome: null });
  });

  it('validates the delivery itself (at least one event, at most 500)', async () => {
    expect((await deliver([])).status).toBe(422);
    expect((await deliver(Array.from({ length: 501 }, (_, i) => ({ id: String(i) })))).status).toBe(422);
  });
});
