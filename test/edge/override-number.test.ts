import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BaresipControl } from '../../scripts/lib/edge-baresip-ctrl';
import { sql, sqlValue } from './support/d1';
import { callFromPhoneNetwork, decisionFor, gatewayControl, registeredUser } from './support/edge-context';
import { userOf } from './support/sip/message';

/**
 * The admin's override through the real edge: a user's calls go out and come
 * in on the business's main number instead of their own. A business of its
 * own (gamma), seeded here, so no other file's users change and no other
 * file's numbers enter Kamailio's cache of inbound decisions (worker-outage
 * relies on business A's main number never having been rung).
 */
const GAMMA = {
  id: 'biz_edge_gamma',
  main: { id: 'num_edge_gamma_main', e164: '+442079460400' },
  /** Has a number of his own and overrides it with the main number. */
  hank: { id: 'usr_edge_hank', number: { id: 'num_edge_gamma_hank', e164: '+442079460401' } },
  /** Has no number of her own and overrides with the main number. */
  ivy: { id: 'usr_edge_ivy' },
  /** Keeps his own number: the main number is not his line. */
  jack: { id: 'usr_edge_jack', number: { id: 'num_edge_gamma_jack', e164: '+442079460402' } },
} as const;

/** The simulated phone network's caller ID, and a subscriber of it that answers. */
const NETWORK_CALLER = '+441614960000';
const PSTN = '+441614960002';

let gateway: BaresipControl;

beforeAll(async () => {
  const now = Date.now();
  const q = sqlValue;
  const users = [GAMMA.hank.id, GAMMA.ivy.id, GAMMA.jack.id];
  const statements = [
    `INSERT INTO businesses (id, name, country, plan, status, seats, created_at) VALUES (${q(GAMMA.id)}, 'Gamma Surveying', 'GB', 'licensed', 'active', 10, ${now});`,
    ...users.flatMap((id) => [
      `INSERT INTO users (id, business_id, name, email, role, status, created_at, updated_at) VALUES (${q(id)}, ${q(GAMMA.id)}, ${q(id)}, ${q(`${id}@edge.example`)}, 'user', 'active', ${now}, ${now});`,
      // A seat with calling and no voicemail: a refused ring fails plainly rather than going to a mailbox.
      `INSERT INTO user_licences (business_id, user_id, calling, sms, voicemail, recording, assigned_at, updated_at) VALUES (${q(GAMMA.id)}, ${q(id)}, 1, 1, 0, 0, ${now}, ${now});`,
    ]),
    ...(
      [
        [GAMMA.main.id, GAMMA.main.e164, null, 'main'],
        [GAMMA.hank.number.id, GAMMA.hank.number.e164, GAMMA.hank.id, 'pool'],
        [GAMMA.jack.number.id, GAMMA.jack.number.e164, GAMMA.jack.id, 'pool'],
      ] as const
    ).map(
      ([id, e164, user, kind]) =>
        `INSERT INTO numbers (id, business_id, e164, kind, assigned_user_id, created_at) VALUES (${q(id)}, ${q(GAMMA.id)}, ${q(e164)}, ${q(kind)}, ${q(user)}, ${now});`,
    ),
    // As the admin API sets it (worker/admin/override-routes.ts).
    `UPDATE users SET override_number_id = ${q(GAMMA.main.id)} WHERE business_id = ${q(GAMMA.id)} AND id IN (${q(GAMMA.hank.id)}, ${q(GAMMA.ivy.id)});`,
  ];
  await sql(statements.join('\n'));
  gateway = await gatewayControl();
});
afterAll(() => {
  // The business stays: nothing else dials its numbers, and the wrangler state goes with the run.
  gateway?.close();
});

describe('a number used as an override', () => {
  it('a call from the phone network to it rings every user who overrides with it, and nobody else', async () => {
    const hank = await registeredUser(GAMMA.hank.id);
    const ivy = await registeredUser(GAMMA.ivy.id);
    const jack = await registeredUser(GAMMA.jack.id);

    const call = await callFromPhoneNetwork(gateway, GAMMA.main.e164);
    const [toHank, toIvy] = await Promise.all([hank.nextInvite(), ivy.nextInvite()]);
    for (const invite of [toHank, toIvy]) {
      expect(userOf(invite.from)).toBe(NETWORK_CALLER);
      // Anchored: rtpengine's WebRTC offer, not the phone network's plain RTP.
      expect(invite.request.body).toMatch(/UDP\/TLS\/RTP\/SAVPF/);
    }
    expect(await decisionFor(toHank.callId)).toMatchObject({
      status: 200,
      answer: { action: 'ring', targets: [GAMMA.hank.id, GAMMA.ivy.id], anchorMedia: true },
    });

    // A decline is final: the edge cancels the other device and the phone network hears it.
    toIvy.ring();
    toHank.reject(603, 'Decline');
    await toIvy.canceled;
    expect((await call.closed()).param).toMatch(/603/);
    expect(jack.pendingInvites).toBe(0);
  });

  it('the overriding user’s own number no longer rings them (480): their calls come in on the main number', async () => {
    const hank = await registeredUser(GAMMA.hank.id);
    const call = await callFromPhoneNetwork(gateway, GAMMA.hank.number.e164);
    expect((await call.closed()).param).toMatch(/480/);
    expect(hank.pendingInvites).toBe(0);
  });

  it('and their calls go out on it: the phone network sees the main number as caller ID', async () => {
    const hank = await registeredUser(GAMMA.hank.id);
    const since = gateway.events.length;
    const call = hank.call(PSTN);
    expect(await call.status()).toBe(200);
    const established = await gateway.waitFor('CALL_ESTABLISHED', { since });
    expect(userOf(established.peeruri ?? '')).toBe(GAMMA.main.e164);
    expect((await call.bye()).status).toBe(200);
    await gateway.waitFor('CALL_CLOSED', { since });
  });
});
