import { env } from 'cloudflare:workers';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { sipDeviceOf } from '../../shared/sip-device';
import { Client, json, seedBusiness } from './support/api';
import { deliver, edgeEvent, newCallId, recordOf, route } from './support/calls';
import { assignNumber } from './support/edge';

const EXTERNAL = '+441614960001';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const today = () => new Date().toISOString().slice(0, 10);

/** Signs in from a browser with this User-Agent; returns the client and its device id from the SIP credentials. */
async function deviceOf(email: string, password: string, userAgent?: string) {
  const client = new Client();
  const headers: Record<string, string> = userAgent ? { 'User-Agent': userAgent } : {};
  expect((await client.call('POST', '/api/auth/signin', { email, password }, headers)).status).toBe(200);
  const credentials = await json(await client.call('POST', '/api/sip/credentials', {}, headers));
  return { client, deviceId: credentials.deviceId as string };
}

/** The Contact the edge reports for a PWA's answer: SIP.js's random user part, our parameter, Kamailio's alias. */
const contactWith = (deviceId: string) => `<sip:k3j2h1g0@df7jal23ls0d.invalid;transport=ws;device=${deviceId};alias=127.0.0.1~51234~6>`;

async function business() {
  const b = await seedBusiness({ pool: 3, licensed: true });
  await assignNumber(b.business.id, b.numbers[0] as string, b.user.id);
  await assignNumber(b.business.id, b.numbers[1] as string, b.admin.id);
  return b;
}

describe('the device that answered, on the record', () => {
  it('reads the device id from the Contact’s URI, not from its header parameters or anything malformed', () => {
    expect(sipDeviceOf(contactWith('0a1b2c3d4e5f6a7b8c9d0e1f'))).toBe('0a1b2c3d4e5f6a7b8c9d0e1f');
    expect(sipDeviceOf('<sip:x@y.invalid;transport=ws>;device=abc')).toBeNull();
    expect(sipDeviceOf('<sip:x@y.invalid;transport=ws?device=abc>')).toBeNull();
    expect(sipDeviceOf('<sip:x@y.invalid;DEVICE=abc>')).toBe('abc');
    expect(sipDeviceOf('<sip:x@y.invalid;device=a"b>')).toBeNull();
    expect(sipDeviceOf(null)).toBeNull();
  });

  it('names it in words: the answering session’s label, in the record, both histories’ right side, the admin API and both exports', async () => {
    const b = await business();
    const caller = await deviceOf(b.user.email, b.user.password);
    const callee = await deviceOf(b.admin.email, b.admin.password, IPHONE);
    expect(callee.deviceId).toMatch(/^[0-9a-f]{24}$/);
    const callId = newCallId();
    await route(callId, { source: 'client', fromUser: b.user.id, to: b.admin.id });
    const t0 = Date.now() - 60_000;
    await deliver([
      edgeEvent(callId, 'start', t0),
      edgeEvent(callId, 'answer', t0 + 2000, { user: b.admin.id, contact: contactWith(callee.deviceId) }),
      edgeEvent(callId, 'end', t0 + 32_000, { by: 'caller' }),
    ]);
    const record = await recordOf(callId);
    expect(record).toMatchObject({ answered_user_id: b.admin.id, answered_device: 'Safari on iOS' });

    const incoming = await json(await callee.client.get('/api/calls'));
    expect(incoming.calls[0]).toMatchObject({ id: record?.id, answeredBy: { userId: b.admin.id }, answeredDevice: 'Safari on iOS' });
    // The caller's side names no device of theirs (they placed it).
    expect((await json(await caller.client.get('/api/calls'))).calls[0]).toMatchObject({ id: record?.id, answeredDevice: null });

    const admin = (await json(await callee.client.get(`/api/admin/calls?from=${today()}&to=${today()}`))).calls;
    expect(admin.find((c: { id: string }) => c.id === record?.id)).toMatchObject({ answeredDevice: 'Safari on iOS' });
    const csv = await (await callee.client.get(`/api/admin/calls/export.csv?from=${today()}&to=${today()}`)).text();
    const rows = Papa.parse<Record<string, string>>(csv.trim(), { header: true }).data;
    expect(rows.find((r) => r.id === record?.id)).toMatchObject({ answered_device: 'Safari on iOS' });
    const exported = await json(await callee.client.get(`/api/admin/calls/export.json?from=${today()}&to=${today()}`));
    expect(exported.find((r: { id: string }) => r.id === record?.id)).toMatchObject({ answered_device: 'Safari on iOS' });
  });

  it('only a session of the user who answered counts; a Contact without our id (a desk phone) names no device', async () => {
    const b = await business();
    const caller = await deviceOf(b.user.email, b.user.password);
    const other = await seedBusiness({ licensed: true });
    const stranger = await deviceOf(other.admin.email, other.admin.password);
    const [spoofed, foreign, deskPhone] = [newCallId(), newCallId(), newCallId()];
    const t0 = Date.now() - 60_000;
    for (const callId of [spoofed, foreign, deskPhone]) await route(callId, { source: 'client', fromUser: b.user.id, to: b.admin.id });
    await deliver([
      // The caller's own device id on the callee's answer, and another business's device.
      edgeEvent(spoofed, 'answer', t0, { user: b.admin.id, contact: contactWith(caller.deviceId) }),
      edgeEvent(foreign, 'answer', t0, { user: b.admin.id, contact: contactWith(stranger.deviceId) }),
      edgeEvent(deskPhone, 'answer', t0, { user: b.admin.id, contact: '<sip:admin@192.0.2.10:5060>' }),
    ]);
    for (const callId of [spoofed, foreign, deskPhone]) {
      expect(await recordOf(callId)).toMatchObject({ answered_user_id: b.admin.id, answered_device: null });
    }
  });

  it('inbound from the phone network too; the label stays on the record after its session is gone', async () => {
    const b = await business();
    const phone = await deviceOf(b.user.email, b.user.password);
    const callId = newCallId();
    await route(callId, { source: 'phone_network', fromUser: EXTERNAL, to: b.numbers[0] as string });
    const t0 = Date.now() - 60_000;
    await deliver([edgeEvent(callId, 'answer', t0, { user: b.user.id, contact: contactWith(phone.deviceId) })]);
    expect(await recordOf(callId)).toMatchObject({ answered_device: 'Chrome on Android' });
    // Sessions are deleted a month after they end; records are rebuilt whenever an event comes.
    await env.DB.prepare('DELETE FROM sessions WHERE user_id = ?').bind(b.user.id).run();
    await deliver([edgeEvent(callId, 'end', t0 + 10_000, { by: 'caller' })]);
    expect(await recordOf(callId)).toMatchObject({ outcome: 'answered', ended_by: 'caller', answered_device: 'Chrome on Android' });
  });
});
