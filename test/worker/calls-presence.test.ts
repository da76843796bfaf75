import { describe, expect, it } from 'vitest';
import { seedBusiness } from './support/api';
import { deliver, edgeEvent, newCallId, route } from './support/calls';
import { presenceStateOf } from './support/presence';

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
});
