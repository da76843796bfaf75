import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { runMaintenance } from '../../worker/maintenance/cron';
import { maintenanceJobs } from '../../worker/maintenance/jobs';
import { seedBusiness } from './support/api';
import { deliver, edgeEvent, newCallId, recordOf, route } from './support/calls';
import { assignNumber } from './support/edge';
import { presenceStateOf } from './support/presence';

const EXTERNAL = '+441614960001';

describe('presence from the edge call events', () => {
  it('ringing while it rings, on a call once answered (both sides), free again when it ends', async () => {
    const b = await seedBusiness({ licensed: true });
    const callId = newCallId();
    const t = Date.now();
    await route(callId, { source: 'client', fromUser: b.user.id, to: b.admin.id });
    expect((await deliver([edgeEvent(callId, 'start', t), edgeEvent(callId, 'ringing', t + 10)])).status).toBe(200);
    expect(await presenceStateOf(b.business.id, b.admin.id, 'ringing')).toBe('ringing');
    expect(await presenceStateOf(b.business.id, b.user.id, 'on_call')).toBe('on_call');

    await deliver([edgeEvent(callId, 'answer', t + 2000, { user: b.admin.id })]);
    expect(await presenceStateOf(b.business.id, b.admin.id, 'on_call')).toBe('on_call');

    await deliver([edgeEvent(callId, 'end', t + 60_000, { by: 'caller' })]);
    // No live connection in this test: a user who is not on a call is offline.
    expect(await presenceStateOf(b.business.id, b.admin.id, 'offline')).toBe('offline');
    expect(await presenceStateOf(b.business.id, b.user.id, 'offline')).toBe('offline');
  });

  it('call waiting: a second call ringing neither hides the call in progress nor, when it ends, makes the user free', async () => {
    const b = await seedBusiness({ pool: 2, licensed: true });
    await assignNumber(b.business.id, b.numbers[0] as string, b.admin.id);
    const hub = env.LIVE_HUB.getByName(b.business.id);
    const t = Date.now() - 60_000;
    const first = newCallId();
    await route(first, { source: 'client', fromUser: b.user.id, to: b.admin.id });
    await deliver([edgeEvent(first, 'start', t), edgeEvent(first, 'answer', t + 2000, { user: b.admin.id })]);
    expect(await presenceStateOf(b.business.id, b.admin.id, 'on_call')).toBe('on_call');

    // A call from the phone network rings the admin while they talk.
    const second = newCallId();
    expect(await route(second, { source: 'phone_network', fromUser: EXTERNAL, to: b.numbers[0] as string })).toMatchObject({
      action: 'ring',
    });
    await deliver([edgeEvent(second, 'start', t + 10_000), edgeEvent(second, 'ringing', t + 10_100)]);
    // Settled once the hub holds the second call; the admin is still shown on the first.
    await expect.poll(() => hubCalls(b.business.id, b.admin.id)).toEqual(['on_call', 'ringing']);
    expect((await hub.presence(b.admin.id)).state).toBe('on_call');

    // The second caller gives up: the admin is still talking.
    await deliver([edgeEvent(second, 'failed', t + 20_000, { code: 487 })]);
    await expect.poll(() => hubCalls(b.business.id, b.admin.id)).toEqual(['on_call']);
    expect((await hub.presence(b.admin.id)).state).toBe('on_call');

    await deliver([edgeEvent(first, 'end', t + 30_000, { by: 'callee' })]);
    expect(await presenceStateOf(b.business.id, b.admin.id, 'offline')).toBe('offline');
  });

  it('a late event of a call that is over (closed by the sweep) puts nobody on it, and the record stays closed', async () => {
    const b = await seedBusiness({ pool: 2, licensed: true });
    await assignNumber(b.business.id, b.numbers[0] as string, b.admin.id);
    const late = newCallId();
    const t0 = Date.now() - 2 * 3_600_000;
    await route(late, { source: 'phone_network', fromUser: EXTERNAL, to: b.numbers[0] as string });
    await env.DB.prepare('UPDATE calls SET routed_at = ? WHERE call_id = ?').bind(t0, late).run();
    await deliver([edgeEvent(late, 'start', t0), edgeEvent(late, 'ringing', t0 + 100)]);
    expect((await runMaintenance(env, Date.now(), maintenanceJobs, () => {})).calls_open).toBe(1);
    expect(await recordOf(late)).toMatchObject({ outcome: 'missed', ended_by: 'sweep' });

    // The edge's spool delivers the answer it held back (a call still well within a call's 12 hours), beside
    // the start of another call: the one hub update carries both, so once the other shows, this one was applied.
    const other = newCallId();
    await route(other, { source: 'client', fromUser: b.user.id, to: EXTERNAL });
    await deliver([edgeEvent(late, 'answer', t0 + 5000, { user: b.admin.id }), edgeEvent(other, 'start', Date.now())]);
    await expect.poll(() => hubCalls(b.business.id, b.user.id)).toEqual(['on_call']);
    expect(await hubCalls(b.business.id, b.admin.id)).toEqual([]);
    // Answered after all, and still closed where the last thing we know happened: not a call in progress.
    expect(await recordOf(late)).toMatchObject({
      outcome: 'answered',
      answered_user_id: b.admin.id,
      ended_by: 'sweep',
      ended_at: t0 + 5000,
    });
  });
});

/** A user's call states as the hub stores them, one per call, sorted. */
async function hubCalls(businessId: string, userId: string): Promise<string[]> {
  return runInDurableObject(env.LIVE_HUB.getByName(businessId), (_hub, state) =>
    state.storage.sql
      .exec<{ state: string }>("SELECT state FROM edge_call_states WHERE user_id = ? AND state != 'idle' ORDER BY state", userId)
      .toArray()
      .map((r) => r.state),
  );
}
