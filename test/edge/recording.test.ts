/**
 * Call recording end to end on the real edge: the Worker decides `record`
 * (business bought recording and switched it on, the seat has it), Kamailio
 * asks rtpengine to record, rtpengine writes a pcap and metadata, the edge
 * agent converts them to MP3 and uploads it, and an admin plays it back
 * through the Worker. The phone network (baresip) plays 440 Hz and the
 * user's phone 1000 Hz: both must be in the recording.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baresip } from '../../scripts/lib/edge-baresip';
import { delay } from '../../scripts/lib/edge-process';
import { recordingDirOf } from '../../scripts/lib/edge-rtpengine';
import { dominantTone } from '../../scripts/lib/edge-tone';
import type { RecordingInfo } from '../../shared/admin-api';
import { signInCookie } from '../support/sign-in';
import { sql } from './support/d1';
import { decisionFor, edge } from './support/edge-context';
import { ALPHA } from './support/fixtures';
import { startPhone } from './support/phone';
import { agentPort } from './support/records';

const PHONE_TONE = 1000;
const scratch = mkdtempSync(join(tmpdir(), 'recording-edge-'));

let phone: Baresip;
let cookie = '';

beforeAll(async () => {
  // What billing and the admin would have done: recording bought, switched on, on grace's seat; alice is an admin to play it.
  await sql(`UPDATE businesses SET recording_purchased = 1, recording_enabled = 1 WHERE id = '${ALPHA.id}'`);
  await sql(`UPDATE user_licences SET recording = 1 WHERE user_id = '${ALPHA.grace.id}'`);
  await sql(`UPDATE users SET role = 'admin' WHERE id = '${ALPHA.alice.id}'`);
  cookie = await signInCookie(edge.appUrl, ALPHA.alice.email, ALPHA.alice.password);
  phone = await startPhone(ALPHA.grace.id, { toneHz: PHONE_TONE, sipPort: 25120, ctrlPort: 25125, rtpPorts: [21400, 21499] });
});

afterAll(async () => {
  await phone?.stop();
  await sql(`UPDATE businesses SET recording_purchased = 0, recording_enabled = 0 WHERE id = '${ALPHA.id}'`);
  await sql(`UPDATE user_licences SET recording = 0 WHERE user_id = '${ALPHA.grace.id}'`);
  await sql(`UPDATE users SET role = 'user' WHERE id = '${ALPHA.alice.id}'`);
  rmSync(scratch, { recursive: true, force: true });
});

const admin = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${edge.appUrl}${path}`, { headers: { Cookie: cookie, ...headers } });

/** The recording of a call once the agent delivered it. */
async function recordingOf(callId: string, timeoutMs = 30_000): Promise<RecordingInfo> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [record] = await sql<{ id: string }>(`SELECT id FROM calls WHERE call_id = '${callId.replaceAll("'", "''")}'`);
    const { recordings } = (await (await admin('/api/admin/recordings')).json()) as { recordings: RecordingInfo[] };
    const found = recordings.find((r) => r.callId === record?.id);
    if (found) return found;
    await delay(500);
  }
  const health = await (await fetch(`http://127.0.0.1:${agentPort}/health`)).json();
  throw new Error(`no recording of ${callId}; agent: ${JSON.stringify(health)}`);
}

/** Decodes MP3 bytes to 16 kHz mono samples with ffmpeg. */
function decode(mp3: Uint8Array): Int16Array {
  const file = join(scratch, `${Date.now()}.mp3`);
  writeFileSync(file, mp3);
  const raw = execFileSync(
    '/usr/bin/ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-i', file, '-f', 's16le', '-ac', '1', '-ar', '16000', '-'],
    {
      maxBuffer: 64 << 20,
    },
  );
  return new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
}

describe('call recording: rtpengine pcap → edge agent → Worker → admin', () => {
  it('a recorded call to the phone network arrives as one MP3 with both sides audible; the edge keeps nothing', async () => {
    const since = phone.control.events.length;
    await phone.control.command('dial', `sip:+441614960004@${edge.sipDomain}`);
    const established = await phone.control.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 8000 });
    const callId = established.id as string;
    expect(await decisionFor(callId)).toMatchObject({ answer: { action: 'phone_network', record: true } });
    await delay(4000);
    await phone.control.command('hangup');
    await phone.control.waitFor('CALL_CLOSED', { since });

    const recording = await recordingOf(callId);
    expect(recording).toMatchObject({ kind: 'outbound', remoteNumber: '+441614960004', caller: { userId: ALPHA.grace.id } });
    // About the four seconds of the call (set-up and DTLS take a little of it).
    expect(recording.durationMs).toBeGreaterThan(3000);
    expect(recording.durationMs).toBeLessThan(8000);

    const res = await admin(`/api/admin/recordings/${recording.id}/audio`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('audio/mpeg');
    const mp3 = new Uint8Array(await res.arrayBuffer());
    expect(mp3.length).toBe(recording.bytes);
    const part = await admin(`/api/admin/recordings/${recording.id}/audio`, { Range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(mp3.subarray(100, 200));

    const samples = decode(mp3);
    const middle = samples.subarray(Math.floor(samples.length / 4), Math.floor((samples.length * 3) / 4));
    let energy = 0;
    for (const s of middle) energy += s * s;
    expect(Math.sqrt(energy / middle.length)).toBeGreaterThan(1000);
    // Both sides: each tone carries a good part of the energy (a one-sided recording would have one near 100 %).
    const gatewayTone = dominantTone(middle, 16000, [edge.gatewayToneHz]);
    const phoneTone = dominantTone(middle, 16000, [PHONE_TONE]);
    expect(gatewayTone.share).toBeGreaterThan(0.2);
    expect(phoneTone.share).toBeGreaterThan(0.2);

    // Delivered, so deleted at the edge: rtpengine's files and the agent's MP3.
    const recordingDir = recordingDirOf(edge.workDir);
    await expect.poll(() => readdirSync(join(recordingDir, 'metadata')).length, { timeout: 5000 }).toBe(0);
    expect(readdirSync(join(recordingDir, 'pcaps'))).toEqual([]);
    expect(readdirSync(join(edge.workDir, 'agent-spool', 'recordings', 'ready'))).toEqual([]);
    const health = (await (await fetch(`http://127.0.0.1:${agentPort}/health`)).json()) as { recordings: { uploaded: number } };
    expect(health.recordings.uploaded).toBeGreaterThanOrEqual(1);
  });
});
