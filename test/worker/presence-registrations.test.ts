import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { EdgeRegistration } from '../../shared/calls-api';
import { json, seedBusiness, signedIn } from './support/api';
import { deliver, edgeEvent, newCallId, route } from './support/calls';
import { setUserStatus } from './support/edge';
import { presenceStateOf } from './support/presence';

let seq = 0;
/** A registration event as the edge agent delivers it. */
function registration(user: string, device: string, expires: number, at = Date.now()): EdgeRegistration {
  return { id: `reg-${++seq}-${device}`, type: 'registration', at, user, device, expires };
}

/** Registrations settle through the hub's alarms: polled every 50 ms. */
const stateOf = (businessId: string, userId: string, expected: string, tries = 40) =>
  presenceStateOf(businessId, userId, expected, { tries, everyMs: 50 });

describe('presence from the edge registrar', () => {
  it('a registered SIP device keeps its user online with no app open; the last device leaving makes them offline', async () => {
    const b = await seedBusiness({ licensed: true });
    expect((await env.LIVE_HUB.getByName(b.business.id).presence(b.user.id)).state).toBe('offline');

    const res = await deliver([registration(b.user.id, 'desk-phone', 600), registration(b.user.id, 'browser', 600)]);
    expect(res.status).toBe(200);
    const settled = await json(res);
    expect(settled.accepted).toHaveLength(2);
    expect(await stateOf(b.business.id, b.user.id, 'available')).toBe('available');

    // One device leaves: still online through the other.
    await deliver([registration(b.user.id, 'desk-phone', 0)]);
    expect(await stateOf(b.business.id, b.user.id, 'offline', 5)).toBe('available');
    await deliver([registration(b.user.id, 'browser', 0)]);
    expect(await stateOf(b.business.id, b.user.id, 'offline')).toBe('offline');
  });

  it('a registration that is not renewed runs out on its own', async () => {
    const b = await seedBusiness({ licensed: true });
    await deliver([registration(b.admin.id, 'phone', 1)]);
    expect(await stateOf(b.business.id, b.admin.id, 'available')).toBe('available');
    expect(await stateOf(b.business.id, b.admin.id, 'offline', 60)).toBe('offline');
  });

  it('delivered out of order within a delivery, the later one wins', async () => {
    const b = await seedBusiness({ licensed: true });
    const t = Date.now();
    await deliver([registration(b.user.id, 'browser', 0, t + 10), registration(b.user.id, 'browser', 600, t)]);
    expect(await stateOf(b.business.id, b.user.id, 'offline', 10)).toBe('offline');
  });

  it('registrations of unknown or terminated users change nothing; malformed ones are refused; call events beside them still count', async () => {
    const b = await seedBusiness({ licensed: true });
    await env.DB.prepare('UPDATE users SET terminated_at = ? WHERE id = ?').bind(Date.now(), b.user.id).run();
    const callId = newCallId();
    await route(callId, { source: 'client', fromUser: b.admin.id, to: 'usr_nobody' });
    const res = await deliver([
      registration(b.user.id, 'browser', 600),
      registration('usr_unknown', 'browser', 600),
      { id: 'reg-bad', type: 'registration', at: Date.now(), user: b.admin.id, device: 'x', expires: -5 },
      edgeEvent(callId, 'start', Date.now()),
    ]);
    expect(res.status).toBe(200);
    const settled = await json(res);
    expect(settled.accepted).toHaveLength(3);
    expect(settled.rejected).toEqual([expect.objectContaining({ id: 'reg-bad', reason: expect.stringContaining('expires') })]);
    expect(await stateOf(b.business.id, b.user.id, 'available', 5)).toBe('offline');
  });

  it('a suspended user’s device counts as gone: offline to colleagues at its next renewal, never listed or named', async () => {
    const b = await seedBusiness({ licensed: true });
    await deliver([registration(b.user.id, 'desk-phone', 3600)]);
    expect(await stateOf(b.business.id, b.user.id, 'available')).toBe('available');

    await setUserStatus(b.business.id, b.user.id, 'suspended');
    // The desk phone renews with a credential minted before the suspension (the edge may still let it through).
    await deliver([registration(b.user.id, 'desk-phone', 3600)]);
    expect(await stateOf(b.business.id, b.user.id, 'offline')).toBe('offline');
    expect((await env.LIVE_HUB.getByName(b.business.id).snapshot()).map((e) => e.userId)).not.toContain(b.user.id);
    const admin = await signedIn(b.admin.email, b.admin.password);
    const { colleagues } = await json(await admin.get('/api/presence/colleagues'));
    expect(colleagues.map((c: { userId: string }) => c.userId)).not.toContain(b.user.id);
  });

  it('only the edge may deliver them', async () => {
    const b = await seedBusiness({ licensed: true });
    const res = await deliver([registration(b.user.id, 'browser', 600)], { secret: 'not the edge secret' });
    expect(res.status).toBe(401);
    expect(await stateOf(b.business.id, b.user.id, 'available', 5)).toBe('offline');
  });
});
