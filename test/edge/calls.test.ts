import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BaresipControl } from '../../scripts/lib/edge-baresip-ctrl';
import { contactsOf, decisionFor, edge, gatewayControl, registeredUser, tap, wsUser } from './support/edge-context';
import { ALPHA, BETA } from './support/fixtures';
import { failedEventCode } from './support/records';
import { hdrs, header, uriOf, userOf } from './support/sip/message';
import { fakeSdp } from './support/sip/user-agent';

/** A number of the simulated phone network (answers automatically). */
const PSTN = '+441614960003';

let gateway: BaresipControl;
beforeAll(async () => {
  gateway = await gatewayControl();
});
afterAll(async () => {
  await tap({ overrides: {}, mode: 'pass' });
  gateway.close();
});

describe('calls between registered users', () => {
  it('rings every device of the callee; the first answer wins and the other device gets CANCEL', async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const bobPhone = await registeredUser(ALPHA.bob.id);
    const bobLaptop = await registeredUser(ALPHA.bob.id);

    const call = alice.call(ALPHA.bob.id);
    const [onPhone, onLaptop] = await Promise.all([bobPhone.nextInvite(), bobLaptop.nextInvite()]);
    expect(onPhone.from).toBe(`sip:${ALPHA.alice.id}@${edge.sipDomain}`);
    onPhone.ring();
    onLaptop.ring();
    await call.response(180);
    await onLaptop.answer();
    await onPhone.canceled;
    expect(onPhone.wasAnswered).toBe(false);
    expect(await call.status()).toBe(200);

    expect(await decisionFor(call.callId)).toMatchObject({
      status: 200,
      answer: { action: 'ring', targets: [ALPHA.bob.id], anchorMedia: false },
    });

    // Hanging up reaches the device that answered, through the edge.
    expect((await call.bye()).status).toBe(200);
    await onLaptop.ended;
  });

  it("dialling a colleague's business number in national format rings them; their decline reaches the caller", async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const bob = await registeredUser(ALPHA.bob.id);
    const call = alice.call('02079460202');
    const invite = await bob.nextInvite();
    // A decline (603) is final: busy and no answer go to voicemail (voicemail.test.ts).
    invite.reject(603, 'Decline');
    expect(await call.status()).toBe(603);
  });

  it('challenges an INVITE without credentials and refuses one whose From is another user (403)', async () => {
    const anonymous = await wsUser(ALPHA.alice.id, null);
    const unauthenticated = anonymous.call(ALPHA.bob.id);
    expect(await unauthenticated.status()).toBe(407);
    const alice = await registeredUser(ALPHA.alice.id);
    expect(await alice.call(ALPHA.bob.id, { from: `sip:${ALPHA.bob.id}@${edge.sipDomain}` }).status()).toBe(403);
  });
});

describe('without voicemail, whatever voicemail would have taken is busy (486)', () => {
  /** Carol's seat has no voicemail: a ring for her, short enough to time out within a test. */
  const ringCarol = { [ALPHA.carol.id]: { action: 'ring', targets: [ALPHA.carol.id], ringSeconds: 2, anchorMedia: false } };

  it('the callee not registered', async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const call = alice.call(ALPHA.carol.id);
    expect(await call.status()).toBe(486);
    expect((await call.final).reason).toBe('Busy Here');
    // The Worker's real decision: a ring with nobody's voicemail behind it (events.test.ts has its record).
    expect((await decisionFor(call.callId))?.answer).not.toHaveProperty('voicemailUserId');
  });

  it('nobody answers within the ring time: the ringing device is cancelled and the caller hears busy', async () => {
    await tap({ overrides: ringCarol });
    try {
      const carol = await registeredUser(ALPHA.carol.id);
      const alice = await registeredUser(ALPHA.alice.id);
      const call = alice.call(ALPHA.carol.id);
      const invite = await carol.nextInvite();
      invite.ring();
      await call.response(180);
      expect(await call.status()).toBe(486);
      await invite.canceled;
      // The call's failed event says busy too, so its record does (a 408 would read as missed).
      await expect.poll(() => failedEventCode(call.callId), { timeout: 10_000 }).toBe(486);
    } finally {
      await tap({ overrides: {} });
    }
  });

  it('the callee unavailable (480 from the device) or busy: busy; a decline stays a decline', async () => {
    await tap({ overrides: ringCarol });
    try {
      const carol = await registeredUser(ALPHA.carol.id);
      const alice = await registeredUser(ALPHA.alice.id);
      for (const [code, reason, heard] of [
        [480, 'Temporarily Unavailable', 486],
        [486, 'Busy Here', 486],
        [603, 'Decline', 603],
      ] as const) {
        const call = alice.call(ALPHA.carol.id);
        (await carol.nextInvite()).reject(code, reason);
        expect(await call.status()).toBe(heard);
      }
    } finally {
      await tap({ overrides: {} });
    }
  });
});

describe('requests that only claim to be in a dialog', () => {
  it('are refused, never relayed to the phone network (toll fraud by a forged to-tag and Route)', async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const since = gateway.events.length;
    for (const method of ['INVITE', 'BYE']) {
      const target = `sip:${PSTN}@127.0.0.1:${edge.ports.gateway}`;
      const forged = alice.send({
        type: 'request',
        method,
        uri: target,
        headers: hdrs(
          ['Via', alice.via()],
          ['Max-Forwards', '70'],
          ['Route', `<sip:127.0.0.1:${edge.ports.ws};transport=ws;lr>`],
          ['From', `<${alice.aor}>;tag=${alice.fromTag}`],
          ['To', `<${target}>;tag=forged-to-tag`],
          ['Call-ID', `forged-${method}-${Date.now()}@test`],
          ['CSeq', `1 ${method}`],
          ['Contact', alice.contact],
          ['Content-Type', method === 'INVITE' ? 'application/sdp' : undefined],
        ),
        body: method === 'INVITE' ? fakeSdp() : '',
      });
      expect((await forged.final).status).toBe(403);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(gateway.events.slice(since)).toEqual([]);
  });
});

describe('the Worker’s routing decisions, honoured', () => {
  it('never rings across businesses: another business’s user id or number is 404', async () => {
    const erin = await registeredUser(BETA.erin.id);
    const alice = await registeredUser(ALPHA.alice.id);
    expect(await alice.call(BETA.erin.id).status()).toBe(404);
    expect(await alice.call(BETA.erin.number).status()).toBe(404);
    expect(erin.pendingInvites).toBe(0);
  });

  it('a suspended user may still hold a credential, but cannot register with it, and their calls are refused (403)', async () => {
    const dave = await wsUser(ALPHA.dave.id);
    const refused = await dave.register();
    expect(refused.status).toBe(403);
    expect(refused.reason).toBe('Account suspended');
    expect(contactsOf(ALPHA.dave.id)).toHaveLength(0);
    expect(await dave.call(ALPHA.alice.id).status()).toBe(403);
    expect(await dave.call(PSTN).status()).toBe(403);
  });

  it('a user without a business number cannot call the phone network (403)', async () => {
    const carol = await registeredUser(ALPHA.carol.id);
    expect(await carol.call(PSTN).status()).toBe(403);
  });

  it('phone_network: the call reaches the gateway with the caller’s business number as caller ID', async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const since = gateway.events.length;
    const call = alice.call(PSTN);
    expect(await call.status()).toBe(200);
    const established = await gateway.waitFor('CALL_ESTABLISHED', { since });
    expect(userOf(established.accountaor ?? '')).toBe(PSTN);
    expect(userOf(established.peeruri ?? '')).toBe(ALPHA.alice.number);
    // The 200 OK came through rtpengine: its SDP names the edge's media address, not baresip's.
    expect(header(await call.final, 'content-type')).toBe('application/sdp');
    expect((await call.bye()).status).toBe(200);
    await gateway.waitFor('CALL_CLOSED', { since });
  });

  it('an external number in national format goes out in E.164', async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const since = gateway.events.length;
    const call = alice.call('0161 496 0004'.replaceAll(' ', ''));
    expect(await call.status()).toBe(200);
    expect(userOf((await gateway.waitFor('CALL_ESTABLISHED', { since })).accountaor ?? '')).toBe('+441614960004');
    await call.bye();
  });

  it('reject: the code and reason the Worker gives reach the caller', async () => {
    await tap({
      overrides: {
        '+441614960005': { action: 'reject', code: 486, reason: 'Busy Here' },
        '+441614960006': { action: 'reject', code: 503, reason: 'Service Unavailable' },
      },
    });
    const alice = await registeredUser(ALPHA.alice.id);
    const busy = alice.call('+441614960005');
    expect(await busy.status()).toBe(486);
    expect((await busy.final).reason).toBe('Busy Here');
    expect(await alice.call('+441614960006').status()).toBe(503);
  });

  it('block: refused with 403 and the Worker’s reason; nothing reaches the phone network', async () => {
    await tap({ overrides: { '+441614960008': { action: 'block', code: 403, reason: 'Blocked: suspected fraud' } } });
    const alice = await registeredUser(ALPHA.alice.id);
    const since = gateway.events.length;
    const call = alice.call('+441614960008');
    expect(await call.status()).toBe(403);
    expect((await call.final).reason).toBe('Blocked: suspected fraud');
    await new Promise((r) => setTimeout(r, 300));
    expect(gateway.events.slice(since)).toEqual([]);
  });

  it('a malformed decision fails safe (500), never rings anyone', async () => {
    await tap({ overrides: { '+441614960009': { action: 'phone_network', number: 'sip:evil@example.com', callerId: 'x' } } });
    const alice = await registeredUser(ALPHA.alice.id);
    expect(await alice.call('+441614960009').status()).toBe(500);
  });
});

describe('calls from the phone network', () => {
  it('ring the user of the dialled number, with the caller’s number as From', async () => {
    const bob = await registeredUser(ALPHA.bob.id);
    const since = gateway.events.length;
    await gateway.command('dial', `sip:${ALPHA.bob.number}@127.0.0.1:${edge.ports.udp}`);
    const invite = await bob.nextInvite();
    expect(userOf(invite.from)).toBe('+441614960000');
    expect(uriOf(header(invite.request, 'to'))).toContain(ALPHA.bob.number);
    // Anchored: the offer bob receives is rtpengine's WebRTC offer, not baresip's plain RTP.
    expect(invite.request.body).toMatch(/UDP\/TLS\/RTP\/SAVPF/);
    expect(invite.request.body).toMatch(/a=ice-ufrag/);
    invite.reject(603, 'Decline');
    await gateway.waitFor('CALL_CLOSED', { since });
  });

  it('an unknown number is 404 for the phone network', async () => {
    const since = gateway.events.length;
    await gateway.command('dial', `sip:+442079469999@127.0.0.1:${edge.ports.udp}`);
    const closed = await gateway.waitFor('CALL_CLOSED', { since });
    expect(closed.param).toMatch(/404/);
  });
});
