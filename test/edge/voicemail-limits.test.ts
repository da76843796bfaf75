import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantTone } from '../../scripts/lib/edge-tone';
import { ALPHA } from './support/fixtures';
import { type LimitedVoicemail, startLimitedVoicemail } from './support/limited-voicemail';
import { CALLER_TONE_HZ, callVoicemail, type VoicemailCall } from './support/voicemail-caller';
import { setDnd, storedAudio, storedMessage } from './support/voicemail-store';

/**
 * The two ways the voicemail service ends a message itself, through the
 * real edge (Kamailio, rtpengine, the Worker): a caller who falls silent is
 * cut off once the silence has lasted the silence limit, and a caller who
 * keeps talking at the maximum length. Both limits are shortened (a second
 * service with its own Kamailio: support/limited-voicemail.ts). Every time
 * is measured on the caller's side: when the greeting's beep stopped
 * arriving, when it sent its last tone, when the service's BYE came.
 */
const SILENCE_MS = 2000;
const MAX_MS = 6000;
/** How long the caller speaks after the beep before falling silent (the call then ends after SILENCE_MS, before MAX_MS). */
const SPEAK_MS = 2500;
/** What the recorder keeps after the last voice (edge/voicemail/recorder.ts). */
const TAIL_MS = 400;
/** One packet's worth of audio. */
const FRAME_MS = 20;

let voicemail: LimitedVoicemail;

beforeAll(async () => {
  await setDnd(ALPHA.bob.id, true);
  voicemail = await startLimitedVoicemail({ silenceSeconds: SILENCE_MS / 1000, maxMessageSeconds: MAX_MS / 1000 });
}, 90_000);
afterAll(async () => {
  await voicemail?.stop();
  await setDnd(ALPHA.bob.id, false);
});

/** Seconds of the samples in 100 ms frames that carry sound and are mostly `hz`. */
function toneSeconds(samples: Int16Array, rate: number, hz: number): number {
  const size = rate / 10;
  let frames = 0;
  for (let at = 0; at + size <= samples.length; at += size) {
    const frame = samples.subarray(at, at + size);
    let sum = 0;
    for (const s of frame) sum += s * s;
    if (Math.sqrt(sum / size) / 32768 > 0.005 && dominantTone(frame, rate, [hz]).share > 0.5) frames++;
  }
  return frames / 10;
}

/** Why the service says it stopped recording this call. */
function whyStopped(callId: string): unknown {
  return voicemail.logFor(callId).find((entry) => entry.message === 'message spooled')?.why;
}

/** Calls bob (on do-not-disturb) through the limited service and waits until the greeting and beep are over. */
async function callAndWaitForBeep(codec: 'opus' | 'pcmu'): Promise<{ call: VoicemailCall; beepEndedAt: number }> {
  const call = await callVoicemail({ wsUrl: voicemail.wsUrl, from: ALPHA.alice.id, to: ALPHA.bob.id, codec });
  expect(await call.finalStatus).toBe(200);
  const media = await call.established();
  expect(media.codec).toBe(codec);
  return { call, beepEndedAt: await call.greetingDone() };
}

/** The call's end, or a failure if the service never hangs up. */
function endOf(call: VoicemailCall, timeoutMs: number) {
  return Promise.race([
    call.ended,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the service never hung up')), timeoutMs)),
  ]);
}

describe('the voicemail service ends a message by itself', () => {
  it.each(['opus', 'pcmu'] as const)(
    '%s: a caller who falls silent after speaking is cut off after the silence limit; the message is what they said',
    async (codec) => {
      const { call, beepEndedAt } = await callAndWaitForBeep(codec);
      let spokeMs: number;
      try {
        call.silentFrom(beepEndedAt + SPEAK_MS);
        const end = await endOf(call, SPEAK_MS + MAX_MS);
        // The service hung up, once the caller had been silent for the limit: not before, not much later.
        expect(end.by).toBe('callee');
        const lastTone = call.lastToneSentAt as number;
        expect(end.at - lastTone).toBeGreaterThanOrEqual(SILENCE_MS - 50);
        expect(end.at - lastTone).toBeLessThan(SILENCE_MS + 1000);
        spokeMs = lastTone + FRAME_MS - beepEndedAt;
      } finally {
        await call.close();
      }

      const message = await storedMessage(call.callId);
      expect(message).toMatchObject({ user_id: ALPHA.bob.id, from_user_id: ALPHA.alice.id, content_type: 'audio/ogg' });
      // What was said, and the recorder's short tail; none of the silence that ended it.
      expect(Math.abs(message.duration_ms - (spokeMs + TAIL_MS))).toBeLessThan(500);
      const audio = await storedAudio(message);
      expect(Math.abs((audio.samples.length / audio.rate) * 1000 - message.duration_ms)).toBeLessThan(250);
      expect(Math.abs(toneSeconds(audio.samples, audio.rate, CALLER_TONE_HZ) * 1000 - spokeMs)).toBeLessThan(500);
      expect(whyStopped(call.callId)).toBe('silence');
    },
    40_000,
  );

  it('a caller who keeps speaking is cut off at the maximum length; the message is that long', async () => {
    const { call, beepEndedAt } = await callAndWaitForBeep('opus');
    try {
      const end = await endOf(call, MAX_MS + 5000);
      expect(end.by).toBe('callee');
      expect(Math.abs(end.at - beepEndedAt - MAX_MS)).toBeLessThan(500);
    } finally {
      await call.close();
    }

    const message = await storedMessage(call.callId);
    expect(message).toMatchObject({ user_id: ALPHA.bob.id, from_user_id: ALPHA.alice.id });
    expect(Math.abs(message.duration_ms - MAX_MS)).toBeLessThan(500);
    const audio = await storedAudio(message);
    expect(Math.abs((audio.samples.length / audio.rate) * 1000 - message.duration_ms)).toBeLessThan(250);
    expect(toneSeconds(audio.samples, audio.rate, CALLER_TONE_HZ) * 1000).toBeGreaterThan(MAX_MS - 500);
    expect(whyStopped(call.callId)).toBe('limit');
  }, 40_000);
});
