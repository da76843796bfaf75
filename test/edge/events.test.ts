import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BaresipControl } from '../../scripts/lib/edge-baresip-ctrl';
import { edge, gatewayControl, registeredUser, tap } from './support/edge-context';
import { ALPHA } from './support/fixtures';
import { agent, eventIdsOf, recordsOf, recordWhen } from './support/records';

/**
 * Real calls through Kamailio produce call events (start, ringing, answer,
 * end, failed) that the edge agent spools and delivers, signed, to the
 * Worker, which builds exactly one record per call from them and the
 * routing decision.
 */
const PSTN = '+441614960002';
let gateway: BaresipControl;

beforeAll(async () => {
  gateway = await gatewayControl();
  await tap({ mode: 'pass', overrides: {} });
});
afterAll(() => gateway?.close());

describe('call events from the edge become call records', () => {
  it('a colleague call ringing two devices: one record, answered by the right user and device, who hung up', async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const bobPhone = await registeredUser(ALPHA.bob.id);
    const bobLaptop = await registeredUser(ALPHA.bob.id);
    const started = Date.now();
    const call = alice.call(ALPHA.bob.id);
    const [onPhone, onLaptop] = await Promise.all([bobPhone.nextInvite(), bobLaptop.nextInvite()]);
    onPhone.ring();
    onLaptop.ring();
    await call.response(180);
    await onLaptop.answer();
    await onPhone.canceled;
    expect(await call.status()).toBe(200);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await onLaptop.bye()).status).toBe(200);

    const record = await recordWhen(call.callId, (r) => r.ended_at !== null);
    expect(record).toMatchObject({
      business_id: 'biz_edge_alpha',
      direction: 'internal',
      caller_user_id: ALPHA.alice.id,
      outcome: 'answered',
      answered_user_id: ALPHA.bob.id,
      ended_by: 'callee',
      cost_cents: 0,
      events: 4,
    });
    // The laptop's device answered: its Contact, not the phone's.
    expect(record.answered_contact).toContain(bobLaptop.contact.replace(/^<sip:([^@]+)@.*$/, '$1'));
    expect(record.started_at).toBeGreaterThanOrEqual(started - 1000);
    expect(record.ringing_at).toBeGreaterThanOrEqual(record.started_at);
    expect(record.answered_at).toBeGreaterThanOrEqual(record.ringing_at as number);
    expect(record.duration_ms).toBeGreaterThanOrEqual(1000);
    expect(record.duration_ms).toBeLessThan(5000);
    expect(await eventIdsOf(call.callId)).toEqual(['answer', 'end', 'ringing', 'start'].map((t) => `${call.callId}#${t}`));
  });

  it('a call to the phone network: rated on the business’s plan, the caller’s number on our side', async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const since = gateway.events.length;
    const call = alice.call(PSTN);
    expect(await call.status()).toBe(200);
    await gateway.waitFor('CALL_ESTABLISHED', { since });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call.bye()).status).toBe(200);
    const record = await recordWhen(call.callId, (r) => r.ended_at !== null);
    expect(record).toMatchObject({
      direction: 'outbound',
      remote_number: PSTN,
      our_number: ALPHA.alice.number,
      outcome: 'answered',
      ended_by: 'caller',
      plan: 'licensed',
      rate_prefix: '44',
      billable_seconds: 60,
      cost_millicents: 1000,
      cost_cents: 1,
    });
  });

  it('declined by the callee’s device, and cancelled by the caller while ringing: failed events with their codes', async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const bob = await registeredUser(ALPHA.bob.id);
    const declined = alice.call(ALPHA.bob.id);
    (await bob.nextInvite()).reject(603, 'Decline');
    expect(await declined.status()).toBe(603);

    const cancelled = alice.call(ALPHA.bob.id);
    const invite = await bob.nextInvite();
    invite.ring();
    await cancelled.response(180);
    // (The helper's CANCEL ends its INVITE transaction with the CANCEL's own 200; the edge still answers the INVITE 487.)
    void cancelled.cancel();
    await invite.canceled;

    expect(await recordWhen(declined.callId, (r) => r.outcome !== null)).toMatchObject({ outcome: 'declined', final_code: 603 });
    expect(await recordWhen(cancelled.callId, (r) => r.outcome !== null)).toMatchObject({
      outcome: 'missed',
      final_code: 487,
      ended_by: 'caller',
      answered_at: null,
    });
  });

  it('refused by the Worker (another business’s user) and by the edge (nobody registered, no voicemail): one record each', async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const carolUnregistered = alice.call(ALPHA.carol.id);
    expect(await carolUnregistered.status()).toBe(486);
    expect(await recordWhen(carolUnregistered.callId, (r) => r.outcome !== null)).toMatchObject({
      direction: 'internal',
      outcome: 'busy',
      final_code: 486,
    });
    const otherBusiness = alice.call('usr_edge_erin');
    expect(await otherBusiness.status()).toBe(404);
    expect(await recordWhen(otherBusiness.callId, (r) => r.outcome !== null)).toMatchObject({
      outcome: 'failed',
      final_code: 404,
      action: 'reject',
      business_id: 'biz_edge_alpha',
      target_user_ids: '[]',
    });
  });

  it('an unanswered call from the phone network is a missed call for the user of the number', async () => {
    const bob = await registeredUser(ALPHA.bob.id);
    const since = gateway.events.length;
    await gateway.command('dial', `sip:${ALPHA.bob.number}@127.0.0.1:${edge.ports.udp}`);
    const invite = await bob.nextInvite();
    invite.ring();
    await new Promise((r) => setTimeout(r, 300));
    await gateway.command('hangup');
    await gateway.waitFor('CALL_CLOSED', { since });
    const record = await recordWhen(invite.callId, (r) => r.outcome !== null);
    expect(record).toMatchObject({ direction: 'inbound', remote_number: '+441614960000', our_number: ALPHA.bob.number, outcome: 'missed' });
    expect(await recordsOf(invite.callId)).toHaveLength(1);
  });

  it('the agent has nothing left to deliver and nothing was refused', async () => {
    await expect.poll(async () => (await agent()).pending, { timeout: 5000 }).toBe(0);
    expect(await agent()).toMatchObject({ rejected: 0, invalid: 0 });
  });
});
