import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inviter, SessionState, UserAgent } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { writeOggOpus } from '../../edge/shared/ogg-opus';
import { ffmpeg, OGG_OPUS_OUT } from '../../edge/voicemail/ffmpeg';
import { framesOf } from '../../edge/voicemail/greetings';
import { play, sleep } from '../../edge/voicemail/player';
import { type WeriftSessionDescriptionHandler, weriftSdhFactory } from '../../edge/voicemail/webrtc-sdh';
import type { BaresipControl } from '../../scripts/lib/edge-baresip-ctrl';
import { delay } from '../../scripts/lib/edge-process';
import { listCalls } from '../../scripts/lib/edge-rtpengine-ng';
import { dominantTone, readWavSamples } from '../../scripts/lib/edge-tone';
import { voicemailHealth } from '../../scripts/lib/edge-voicemail';
import { wrangler } from '../../scripts/lib/wrangler';
import { sqlValue as q, sql, state } from './support/d1';
import { contactsOf, credentialsFor, decisionFor, edge, gatewayControl, kamcmd, registeredUser, tap } from './support/edge-context';
import { ALPHA } from './support/fixtures';
import { eventIdsOf } from './support/records';
import { setDnd, storedAudio, storedMessage } from './support/voicemail-store';

/**
 * The voicemail service on the real edge: Kamailio relays the Worker's
 * voicemail decisions (a user on do-not-disturb) and failed rings to it,
 * media through rtpengine; it plays the greeting, records the caller and
 * uploads the message to the real Worker (D1 row, audio in R2).
 * Callers: a WebRTC client (SIP.js + werift, Opus, like a browser) and the
 * phone network (baresip, PCMU), each playing a known tone.
 */
const voicemailPort = edge.ports.ws + 5;
const CLIENT_TONE = 660;
const TONES = [440, CLIENT_TONE, 1000];

let gateway: BaresipControl;
let clientTone: Buffer;
const work = mkdtempSync(join(tmpdir(), 'softphone-vm-test-'));

beforeAll(async () => {
  gateway = await gatewayControl();
  await tap({ mode: 'pass', overrides: {} });
  clientTone = await ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=${CLIENT_TONE}:duration=30`, ...OGG_OPUS_OUT, '-f', 'ogg', 'pipe:1']);
  await setDnd(ALPHA.bob.id, true);
});
afterAll(async () => {
  await setDnd(ALPHA.bob.id, false);
  await tap({ mode: 'pass', overrides: {} });
  gateway?.close();
  rmSync(work, { recursive: true, force: true });
});

function rmsDbfs(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return 20 * Math.log10(Math.sqrt(sum / Math.max(1, samples.length)) / 32768);
}

/**
 * A WebRTC caller the way a browser calls: SIP.js over WebSocket, ICE and
 * DTLS-SRTP (werift), Opus preferred. Sends its tone from the moment media
 * connects and keeps every payload it receives.
 */
async function webrtcCall(from: string, to: string) {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
  const { username, password } = credentialsFor(from);
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${from}@${edge.sipDomain}`),
    transportOptions: { server: `ws://127.0.0.1:${edge.ports.ws}` },
    authorizationUsername: username,
    authorizationPassword: password,
    sessionDescriptionHandlerFactory: weriftSdhFactory({ codecs: ['opus', 'pcmu'], address: '127.0.0.1' }),
    logLevel: 'error',
  });
  await ua.start();
  const target = UserAgent.makeURI(`sip:${to}@${edge.sipDomain}`);
  if (!target) throw new Error('bad target');
  const inviter = new Inviter(ua, target);
  const established = new Promise<void>((resolve, reject) => {
    inviter.stateChange.addListener((s) => {
      if (s === SessionState.Established) resolve();
      if (s === SessionState.Terminated) reject(new Error('call ended before it was answered'));
    });
  });
  // Refused calls never get there; whoever awaits established() hears about it.
  established.catch(() => undefined);
  const finalStatus = new Promise<number>((resolve) => {
    void inviter.invite({
      requestDelegate: {
        onAccept: (r) => resolve(r.message.statusCode ?? 0),
        onReject: (r) => resolve(r.message.statusCode ?? 0),
      },
    });
  });
  const stopTone = new AbortController();
  const heard: Array<{ at: number; payload: Buffer }> = [];
  return {
    callId: inviter.request.callId,
    finalStatus,
    /** Waits for the answer and media; then plays the tone until hang-up. */
    async established() {
      await established;
      const media = inviter.sessionDescriptionHandler as WeriftSessionDescriptionHandler;
      media.onRtp((p) => heard.push({ at: Date.now(), payload: p.payload }));
      await media.connected;
      void (async () => {
        const frames = framesOf(clientTone, 'opus');
        while (!stopTone.signal.aborted) await play(media, frames, 48_000, stopTone.signal);
      })();
      return media;
    },
    heard,
    /** Resolves once the service has sent its greeting and beep and gone quiet (it is recording). */
    async greetingDone(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const last = heard.at(-1);
        // Quiet for 1.5 s: a busy machine can stall the service's pacer for half a second mid-greeting.
        if (last && Date.now() - last.at > 1500) return;
        await sleep(100);
      }
      throw new Error('the greeting never ended');
    },
    async hangUp() {
      stopTone.abort();
      if (inviter.state === SessionState.Established) await inviter.bye();
      await ua.stop();
    },
    async close() {
      stopTone.abort();
      await ua.stop().catch(() => undefined);
    },
  };
}

describe('voicemail on the real edge', () => {
  it('the service is registered as the reserved user `voicemail`', async () => {
    expect(await voicemailHealth(voicemailPort)).toMatchObject({ registered: true });
    expect(contactsOf('voicemail')).toHaveLength(1);
  });

  it('a WebRTC client calls a colleague on do-not-disturb: greeting (Opus) heard, message recorded and stored by the Worker', async () => {
    const started = Date.now();
    const call = await webrtcCall(ALPHA.alice.id, ALPHA.bob.id);
    try {
      expect(await call.finalStatus).toBe(200);
      const media = await call.established();
      expect(media.codec).toBe('opus');
      expect(await decisionFor(call.callId)).toMatchObject({ answer: { action: 'voicemail', userId: ALPHA.bob.id } });
      await call.greetingDone();
      // The greeting arrived as audio, not silence: ~6 s of Opus (over 4 s of it, 20 ms a packet, on a busy machine), decoded and measured.
      const greeting = call.heard.map((h) => h.payload);
      expect(greeting.length).toBeGreaterThan(200);
      const decoded = readWavSamples(
        await ffmpeg(['-i', 'pipe:0', '-ac', '1', '-ar', '8000', '-f', 'wav', 'pipe:1'], writeOggOpus(greeting)),
      );
      expect(rmsDbfs(decoded.samples)).toBeGreaterThan(-35);
      // Recording since the beep: the 1.5 s quiet above and this make a message of about 3 s.
      await sleep(1600);
    } finally {
      await call.hangUp();
    }
    const message = await storedMessage(call.callId);
    expect(message).toMatchObject({ user_id: ALPHA.bob.id, from_user_id: ALPHA.alice.id, from_number: null, content_type: 'audio/ogg' });
    expect(message.duration_ms).toBeGreaterThan(1500);
    expect(message.duration_ms).toBeLessThan(4000);
    expect(message.received_at).toBeGreaterThan(started);
    const audio = await storedAudio(message);
    expect(dominantTone(audio.samples, audio.rate, TONES)).toMatchObject({ hz: CLIENT_TONE });

    // The answer event says the voicemail answered, for bob; the call did not fail.
    const events = await sql<{ id: string; body: string }>(`SELECT id, body FROM call_events WHERE call_id = ${q(call.callId)}`);
    const answer = events.find((e) => e.id.endsWith('#answer'));
    expect(JSON.parse(answer?.body ?? '{}')).toMatchObject({ user: ALPHA.bob.id, voicemail: true });
    expect(events.map((e) => e.id.split('#')[1])).not.toContain('failed');
  });

  it('the phone network calls the number of a user on do-not-disturb: greeting (PCMU) heard by baresip, message from the caller’s number', async () => {
    const since = gateway.events.length;
    const started = Date.now();
    await gateway.command('dial', `sip:${ALPHA.bob.number}@127.0.0.1:${edge.ports.udp}`);
    const established = await gateway.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 8000 });
    const callId = established.id as string;
    expect(await decisionFor(callId)).toMatchObject({ answer: { action: 'voicemail', userId: ALPHA.bob.id } });
    // Greeting (~6 s), beep, then ~2.5 s of the gateway's 440 Hz tone as the message.
    await delay(9500);
    await gateway.command('hangup');
    await gateway.waitFor('CALL_CLOSED', { since });

    const message = await storedMessage(callId);
    expect(message).toMatchObject({ user_id: ALPHA.bob.id, from_number: '+441614960000', from_user_id: null });
    expect(message.duration_ms).toBeGreaterThan(1000);
    expect(message.received_at).toBeGreaterThan(started);
    const audio = await storedAudio(message);
    expect(dominantTone(audio.samples, audio.rate, TONES)).toMatchObject({ hz: 440 });

    // What the caller heard: the greeting, through rtpengine, as G.711.
    const recordings = join(edge.workDir, 'gateway', 'recordings');
    const heard = newestDecoded(recordings, started);
    const firstSeconds = heard.samples.subarray(heard.rate, heard.rate * 5);
    expect(rmsDbfs(firstSeconds)).toBeGreaterThan(-35);
  }, 40_000);
});

describe('a greeting the owner recorded', () => {
  it('is fetched from the Worker (WebM as the browser uploads it), converted once, played to the caller, then served from the cache by ETag', async () => {
    // A "recording" of a 880 Hz tone, stored the way the Worker stores a greeting.
    const webm = join(work, 'greeting.webm');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=880:duration=4', '-c:a', 'libopus', '-f', 'webm', webm]);
    const key = `greetings/edge-test-${Date.now()}`;
    await wrangler([
      'r2',
      'object',
      'put',
      `softphone-audio/${key}`,
      '--file',
      webm,
      '--content-type',
      'audio/webm',
      '--local',
      '--persist-to',
      state,
    ]);
    const size = readFileSync(webm).length;
    await sql(
      `INSERT INTO voicemail_greetings (business_id, user_id, r2_key, content_type, size, duration_ms, etag, updated_at)
       VALUES (${q(ALPHA.id)}, ${q(ALPHA.bob.id)}, ${q(key)}, 'audio/webm', ${size}, 4000, 'etag-880', ${Date.now()})`,
    );
    try {
      for (const round of [1, 2]) {
        await tap({ reset: true });
        const since = gateway.events.length;
        const started = Date.now();
        await gateway.command('dial', `sip:${ALPHA.bob.number}@127.0.0.1:${edge.ports.udp}`);
        await gateway.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 8000 });
        await delay(3000);
        await gateway.command('hangup');
        await gateway.waitFor('CALL_CLOSED', { since });
        const heard = newestDecoded(join(edge.workDir, 'gateway', 'recordings'), started);
        expect(dominantTone(heard.samples.subarray(heard.rate, heard.rate * 2), heard.rate, [440, 880, 1000])).toMatchObject({ hz: 880 });
        // The tap sees every request to the Worker: the audio the first time (not JSON), 304 Not Modified the second.
        const records = (await tap()).records;
        if (round === 1) expect(records.some((r) => r.status === 200 && typeof r.answer === 'string')).toBe(true);
        else expect(records.some((r) => r.status === 304)).toBe(true);
      }
    } finally {
      await sql(`DELETE FROM voicemail_greetings WHERE user_id = ${q(ALPHA.bob.id)}`);
    }
  }, 40_000);
});

describe('a ring that fails goes to the owner’s voicemail (voicemailUserId)', () => {
  const ringTo = (to: string, ringSeconds = 2) => ({
    [to]: { action: 'ring', targets: [ALPHA.carol.id], ringSeconds, anchorMedia: false, voicemailUserId: ALPHA.carol.id },
  });

  it('nobody answers within ringSeconds: the voicemail answers; no failed event, the answer is the voicemail’s', async () => {
    await tap({ overrides: ringTo('usr_edge_carol') });
    const carol = await registeredUser(ALPHA.carol.id);
    const call = await webrtcCall(ALPHA.alice.id, ALPHA.carol.id);
    try {
      const invite = await carol.nextInvite();
      invite.ring();
      const t0 = Date.now();
      expect(await call.finalStatus).toBe(200);
      expect(Date.now() - t0).toBeGreaterThan(1500);
      await call.established();
      await call.greetingDone();
      await sleep(1500);
    } finally {
      await call.hangUp();
    }
    const message = await storedMessage(call.callId);
    expect(message).toMatchObject({ user_id: ALPHA.carol.id, from_user_id: ALPHA.alice.id });
    // The ring was not anchored, the voicemail leg was: the BYE still ended rtpengine's session.
    expect(await listCalls(edge.ports.rtpengineNg)).not.toContain(call.callId);
    await expect.poll(() => eventIdsOf(call.callId), { timeout: 5000 }).toContain(`${call.callId}#end`);
    const ids = await eventIdsOf(call.callId);
    expect(ids).not.toContain(`${call.callId}#failed`);
    expect(ids).toContain(`${call.callId}#answer`);
  }, 40_000);

  it('busy everywhere (486) goes to voicemail; a decline (603) stays a decline; nobody registered goes to voicemail', async () => {
    await tap({ overrides: ringTo('usr_edge_carol', 10) });
    const carol = await registeredUser(ALPHA.carol.id);

    const busy = await webrtcCall(ALPHA.alice.id, ALPHA.carol.id);
    (await carol.nextInvite()).reject(486, 'Busy Here');
    expect(await busy.finalStatus).toBe(200);
    await busy.established();
    await busy.hangUp();

    const declined = await webrtcCall(ALPHA.alice.id, ALPHA.carol.id);
    (await carol.nextInvite()).reject(603, 'Decline');
    expect(await declined.finalStatus).toBe(603);
    await declined.close();
    await expect.poll(() => eventIdsOf(declined.callId), { timeout: 5000 }).toContain(`${declined.callId}#failed`);

    await carol.close();
    const unregistered = await webrtcCall(ALPHA.alice.id, ALPHA.carol.id);
    expect(await unregistered.finalStatus).toBe(200);
    await unregistered.established();
    await unregistered.hangUp();
  }, 40_000);

  it('without voicemailUserId a busy callee is still busy', async () => {
    await tap({ overrides: { [ALPHA.carol.id]: { action: 'ring', targets: [ALPHA.carol.id], ringSeconds: 10, anchorMedia: false } } });
    const carol = await registeredUser(ALPHA.carol.id);
    const call = await webrtcCall(ALPHA.alice.id, ALPHA.carol.id);
    (await carol.nextInvite()).reject(486, 'Busy Here');
    expect(await call.finalStatus).toBe(486);
    await call.close();
  });
});

describe('when the Worker is away', () => {
  it('a message left meanwhile waits in the spool and is delivered once the Worker is back', async () => {
    const call = await webrtcCall(ALPHA.alice.id, ALPHA.bob.id);
    try {
      expect(await call.finalStatus).toBe(200);
      await call.established();
      await call.greetingDone();
      await tap({ mode: 'down' });
      await sleep(2000);
    } finally {
      await call.hangUp();
    }
    await expect.poll(async () => (await voicemailHealth(voicemailPort))?.pendingUploads, { timeout: 5000 }).toBe(1);
    await sleep(1500);
    expect(await voicemailHealth(voicemailPort)).toMatchObject({ pendingUploads: 1, workerReachable: false });
    await tap({ mode: 'pass' });
    expect(await storedMessage(call.callId, 40_000)).toMatchObject({ user_id: ALPHA.bob.id, from_user_id: ALPHA.alice.id });
  }, 60_000);
});

describe('when the voicemail service is away', () => {
  it('a voicemail decision is 480 while it is not registered; it registers again after its connection drops', async () => {
    const received = /Received: sip:127\.0\.0\.1:(\d+);transport=ws/.exec(
      kamcmd('ul.lookup', 'location', `voicemail@${edge.sipDomain}`),
    )?.[1];
    expect(received).toBeDefined();
    kamcmd('ul.rm', 'location', `voicemail@${edge.sipDomain}`);
    expect(contactsOf('voicemail')).toHaveLength(0);
    const call = await webrtcCall(ALPHA.alice.id, ALPHA.bob.id);
    expect(await call.finalStatus).toBe(480);
    await call.close();

    // Dropping its WebSocket makes it reconnect and register again.
    const connection = new RegExp(`(\\d+): ws:127\\.0\\.0\\.1:${received} ->`).exec(kamcmd('ws.dump'))?.[1];
    expect(connection).toBeDefined();
    kamcmd('ws.close', connection as string);
    await expect.poll(() => contactsOf('voicemail').length, { timeout: 15_000, interval: 200 }).toBe(1);
  }, 30_000);
});

/** The newest recording of what the gateway heard since `since`. */
function newestDecoded(dir: string, since: number): { rate: number; samples: Int16Array } {
  const newest = readdirSync(dir)
    .filter((f) => f.endsWith('-dec.wav'))
    .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
    .filter((x) => x.t >= since)
    .sort((a, b) => b.t - a.t)[0];
  if (!newest) throw new Error('the gateway recorded nothing');
  return readWavSamples(readFileSync(join(dir, newest.f)));
}
