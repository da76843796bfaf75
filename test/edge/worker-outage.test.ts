import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BaresipControl } from '../../scripts/lib/edge-baresip-ctrl';
import { callFromPhoneNetwork, contactsOf, gatewayControl, registeredUser, tap, wsUser } from './support/edge-context';
import { ALPHA } from './support/fixtures';
import { userOf } from './support/sip/message';

/**
 * When the Worker does not answer, calls to the phone network fail closed
 * (503), calls from it still ring whoever their number rang last, and
 * registered colleagues still reach each other. "Down" is the route tap
 * refusing connections, which is exactly what Kamailio sees when wrangler
 * dev stops; "hanging" accepts and never answers, to hit the 1 s timeout.
 */
const PSTN = '+441614960001';
let gateway: BaresipControl;

beforeAll(async () => {
  gateway = await gatewayControl();
  await tap({ mode: 'pass', overrides: {} });
});
afterAll(async () => {
  await tap({ mode: 'pass' });
  gateway?.close();
});

describe('the Worker does not answer', () => {
  it('(while it still answers, a call from the phone network to frank’s number is routed and remembered)', async () => {
    const frank = await registeredUser(ALPHA.frank.id);
    const call = await callFromPhoneNetwork(gateway, ALPHA.frank.number);
    (await frank.nextInvite()).reject(603, 'Decline');
    expect((await call.closed()).param).toMatch(/603/);
  });

  it('down: a call to the phone network is refused with 503, nothing leaves', async () => {
    await tap({ mode: 'down' });
    const alice = await registeredUser(ALPHA.alice.id);
    const since = gateway.events.length;
    const started = Date.now();
    expect(await alice.call(PSTN).status()).toBe(503);
    expect(Date.now() - started).toBeLessThan(1000); // refused at once, no timeout to wait for
    expect(gateway.events.slice(since).filter((e) => e.direction === 'incoming')).toEqual([]);
  });

  it('down: a call from the phone network to a previously routed number still rings its user', async () => {
    await tap({ mode: 'down' });
    const frank = await registeredUser(ALPHA.frank.id);
    const call = await callFromPhoneNetwork(gateway, ALPHA.frank.number);
    const invite = await frank.nextInvite();
    expect(userOf(invite.from)).toBe('+441614960000');
    // Still anchored, as the remembered decision said.
    expect(invite.request.body).toMatch(/UDP\/TLS\/RTP\/SAVPF/);
    invite.reject(603, 'Decline');
    expect((await call.closed()).param).toMatch(/603/);
  });

  it('down: a number never routed before is temporarily unavailable (480)', async () => {
    await tap({ mode: 'down' });
    const call = await callFromPhoneNetwork(gateway, ALPHA.main);
    expect((await call.closed()).param).toMatch(/480/);
  });

  it('down: a registered colleague dialled by user id still rings; an unregistered one is 503', async () => {
    await tap({ mode: 'down' });
    const alice = await registeredUser(ALPHA.alice.id);
    const bob = await registeredUser(ALPHA.bob.id);
    const call = alice.call(ALPHA.bob.id);
    const invite = await bob.nextInvite();
    await invite.answer();
    expect(await call.status()).toBe(200);
    expect((await call.bye()).status).toBe(200);
    expect(await alice.call(ALPHA.carol.id).status()).toBe(503);
  });

  it('hanging: the edge gives up after its 1 s timeout and fails closed (503)', async () => {
    await tap({ mode: 'hang' });
    const alice = await registeredUser(ALPHA.alice.id);
    const started = Date.now();
    expect(await alice.call(PSTN).status()).toBe(503);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(3000);
  });

  it('back up: calls to the phone network go out again', async () => {
    await tap({ mode: 'pass' });
    const alice = await registeredUser(ALPHA.alice.id);
    const call = alice.call(PSTN);
    expect(await call.status()).toBe(200);
    expect((await call.bye()).status).toBe(200);
  });
});

/**
 * Registering fails open: a phone must keep ringing through a Worker outage.
 * Dave is suspended, which the Worker would refuse (and never remembers), so
 * his REGISTER going through shows the edge did not wait for a yes.
 */
describe('the Worker does not answer whether a user may register', () => {
  it('down: the registration goes through; the user still cannot call out', async () => {
    await tap({ mode: 'down' });
    const dave = await wsUser(ALPHA.dave.id);
    expect((await dave.register()).status).toBe(200);
    expect(contactsOf(ALPHA.dave.id)).toHaveLength(1);
    expect(await dave.call(PSTN).status()).toBe(503);
  });

  it('hanging: the registration goes through after the 1 s timeout', async () => {
    await tap({ mode: 'hang' });
    const dave = await wsUser(ALPHA.dave.id);
    const started = Date.now();
    expect((await dave.register()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('back up: the next REGISTER is refused again; unregistering works throughout', async () => {
    await tap({ mode: 'down' });
    const dave = await wsUser(ALPHA.dave.id);
    expect((await dave.register()).status).toBe(200);
    await tap({ mode: 'pass' });
    const refused = await dave.register();
    expect(refused.status).toBe(403);
    expect(refused.reason).toBe('Account suspended');
    expect((await dave.register(0)).status).toBe(200);
    expect(contactsOf(ALPHA.dave.id)).toHaveLength(0);
  });
});
