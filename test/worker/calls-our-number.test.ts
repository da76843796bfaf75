import { describe, expect, it } from 'vitest';
import { seedBusiness } from './support/api';
import { newCallId, recordOf, route } from './support/calls';
import { assignNumber, overrideNumber } from './support/edge';

const EXTERNAL = '+441614960001';

describe('our_number on the record', () => {
  it('is the override when the admin has set one: the number a call went out on, and the one it came in on', async () => {
    const b = await seedBusiness({ pool: 3, licensed: true });
    const [assigned, , override] = b.numbers as [string, string, string];
    await assignNumber(b.business.id, assigned, b.user.id);
    await overrideNumber(b.business.id, b.user.id, override);

    const out = newCallId();
    expect(await route(out, { source: 'client', fromUser: b.user.id, to: EXTERNAL })).toMatchObject({ action: 'phone_network' });
    expect(await recordOf(out)).toMatchObject({
      direction: 'outbound',
      caller_user_id: b.user.id,
      remote_number: EXTERNAL,
      our_number: override,
    });

    const inbound = newCallId();
    expect(await route(inbound, { source: 'phone_network', fromUser: EXTERNAL, to: override })).toMatchObject({ action: 'ring' });
    expect(await recordOf(inbound)).toMatchObject({
      direction: 'inbound',
      remote_number: EXTERNAL,
      our_number: override,
      target_user_ids: JSON.stringify([b.user.id]),
    });
  });
});
