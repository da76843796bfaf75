import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baresip } from '../../scripts/lib/edge-baresip';
import type { BaresipControl } from '../../scripts/lib/edge-baresip-ctrl';
import { delay } from '../../scripts/lib/edge-process';
import { listCalls, queryCall } from '../../scripts/lib/edge-rtpengine-ng';
import { decisionFor, edge, gatewayControl } from './support/edge-context';
import { ALPHA } from './support/fixtures';
import { heardTone, startPhone } from './support/phone';
import { userOf } from './support/sip/message';

/** The phone's tone; the gateway plays edge.gatewayToneHz (440). */
const PHONE_TONE = 1000;
const TONES = [440, PHONE_TONE];

let gateway: BaresipControl;
let phone: Baresip;
const gatewayRecordings = () => join(edge.workDir, 'gateway', 'recordings');

beforeAll(async () => {
  gateway = await gatewayControl();
  phone = await startPhone(ALPHA.grace.id, { toneHz: PHONE_TONE, sipPort: 25110, ctrlPort: 25115, rtpPorts: [21300, 21399] });
});
afterAll(async () => {
  gateway?.close();
  await phone?.stop();
});

/** Lets audio flow, then checks rtpengine saw RTP from both sides of the call. */
async function expectMediaThroughRtpengine(callId: string) {
  await delay(1500);
  expect(await listCalls(edge.ports.rtpengineNg)).toContain(callId);
  const totals = await queryCall(edge.ports.rtpengineNg, callId);
  expect(totals?.legs).toHaveLength(2);
  // 50 packets a second each way at 20 ms; allow for set-up (ICE, DTLS).
  for (const leg of totals?.legs ?? []) expect(leg.packets).toBeGreaterThan(30);
}

describe('media through rtpengine: WebRTC (DTLS-SRTP, ICE) ⇄ the phone network (RTP/AVP)', () => {
  it('a call to the phone network: caller ID, RTP both ways, each side hears the other’s tone', async () => {
    const started = Date.now();
    const sinceGateway = gateway.events.length;
    const sincePhone = phone.control.events.length;
    await phone.control.command('dial', `sip:+441614960002@${edge.sipDomain}`);
    const established = await phone.control.waitFor('CALL_ESTABLISHED', { since: sincePhone, timeoutMs: 8000 });
    const atGateway = await gateway.waitFor('CALL_ESTABLISHED', { since: sinceGateway });
    expect(userOf(atGateway.peeruri ?? '')).toBe(ALPHA.grace.number);
    expect(userOf(atGateway.accountaor ?? '')).toBe('+441614960002');
    const callId = established.id as string;
    expect(await decisionFor(callId)).toMatchObject({ answer: { action: 'phone_network', callerId: ALPHA.grace.number } });

    await expectMediaThroughRtpengine(callId);
    await phone.control.command('hangup');
    await gateway.waitFor('CALL_CLOSED', { since: sinceGateway });
    await delay(200);
    expect(await listCalls(edge.ports.rtpengineNg)).not.toContain(callId);

    const gatewayHeard = heardTone(gatewayRecordings(), started, TONES);
    const phoneHeard = heardTone(phone.recordings, started, TONES);
    expect(gatewayHeard).toMatchObject({ hz: PHONE_TONE });
    expect(gatewayHeard.share).toBeGreaterThan(0.8);
    expect(phoneHeard).toMatchObject({ hz: edge.gatewayToneHz });
    expect(phoneHeard.share).toBeGreaterThan(0.8);
  });

  it('a call from the phone network: rings the number’s user, RTP both ways, each side hears the other’s tone', async () => {
    const started = Date.now();
    const sinceGateway = gateway.events.length;
    const sincePhone = phone.control.events.length;
    await gateway.command('dial', `sip:${ALPHA.grace.number}@127.0.0.1:${edge.ports.udp}`);
    const established = await phone.control.waitFor('CALL_ESTABLISHED', { since: sincePhone, timeoutMs: 8000 });
    expect(userOf(established.peeruri ?? '')).toBe('+441614960000');
    await gateway.waitFor('CALL_ESTABLISHED', { since: sinceGateway });
    const callId = established.id as string;
    expect(await decisionFor(callId)).toMatchObject({ answer: { action: 'ring', targets: [ALPHA.grace.id], anchorMedia: true } });

    await expectMediaThroughRtpengine(callId);
    await gateway.command('hangup');
    await phone.control.waitFor('CALL_CLOSED', { since: sincePhone });
    await delay(200);

    const gatewayHeard = heardTone(gatewayRecordings(), started, TONES);
    const phoneHeard = heardTone(phone.recordings, started, TONES);
    expect(gatewayHeard).toMatchObject({ hz: PHONE_TONE });
    expect(gatewayHeard.share).toBeGreaterThan(0.8);
    expect(phoneHeard).toMatchObject({ hz: edge.gatewayToneHz });
    expect(phoneHeard.share).toBeGreaterThan(0.8);
  });
});
