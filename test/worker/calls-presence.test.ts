import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { seedBusiness } from './support/api';
import { deliver, edgeEvent, newCallId, route } from './support/calls';

/** A user's presence state as their business's hub holds it, waiting briefly (it is updated after the answer). */
async function stateOf(businessId: string, userId: string, expected: string): Promise<string> {
  const hub = env.LIVE_HUB.getByName(businessId);
  let state = '';
  for (let i = 0; i < 40; i++) {
    state = (await hub.presence(userId)).state;
    if (state === expected) return state;
    await new Promise((r) => setTimeout(r, 25));
  }
  return state;
}

describe('presence from the edge call events', () => {
  it('ringing while it rings, on a call once answered (both sides), free again when it ends', async () => {
    const b = await seedBusiness({ licensed: true });
    const callId = newCallId();
    const t = Date.now();
    await route(callId, { source: 'client', fromUser: b.user.id, to: b.admin.id });
    expect((await deliver([edgeEvent(callId, 'start', t), edgeEvent(callId, 'ringing', t + 10)])).status).toBe(200);
    expect(await stateOf(b.business.id, b.admin.id, 'ringing')).toBe('ringing');
    expect(await stateOf(b.business.id, b.user.id, 'on_call')).toBe('on_call');

    await deliver([edgeEvent(callId, 'answer', t + 2000, { user: b.admin.id })]);
    expect(await stateOf(b.business.id, b.admin.id, 'on_call')).toBe('on_call');

    await deliver([edgeEvent(callId, 'end', t + 60_000, { by: 'caller' })]);
    // No live connection in this test: a user who is not on a call is offline.
    expect(await stateOf(b.business.id, b.admin.id, 'offline')).toBe('offline');
    expect(await stateOf(b.business.id, b.user.id, 'offline')).toBe('offline');
  });
});
