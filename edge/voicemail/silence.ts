/**
 * When has the caller stopped talking? Without decoding Opus:
 *
 * - **PCMU**: the payload is the audio (8-bit μ-law), so a 20 ms frame is
 *   silent when its RMS level is below {@link PCMU_SILENCE_DBFS}.
 * - **Opus**: we ask senders for DTX (`usedtx=1` in our SDP): during silence
 *   a sender then sends a tiny comfort-noise packet every 400 ms or nothing.
 *   A packet of at most {@link OPUS_SILENT_BYTES} bytes carries no speech
 *   (speech at the lowest Opus rates takes 20+ bytes per 20 ms; digital
 *   silence without DTX encodes to 3–8 bytes), and no packet is silence too.
 *   A noisy line without DTX just never counts as silent: the message then
 *   ends at the hang-up or the length limit, never cut short.
 * - **Any codec**: no packets at all for a while (the caller's side stopped
 *   sending) counts as silence, measured on the wall clock.
 *
 * The recording stops after `silenceMs` without a voiced packet; the message
 * keeps the audio up to the last voiced packet (plus a short tail).
 */

/** Below this level a PCMU frame is silence (a quiet talker is about −40 dBFS; line hiss about −60). */
export const PCMU_SILENCE_DBFS = -50;
/** Opus packets this small carry no speech. */
export const OPUS_SILENT_BYTES = 8;

/** μ-law (G.711) byte → 16-bit linear sample. */
export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

const ULAW = Int16Array.from({ length: 256 }, (_, i) => ulawToLinear(i));

/** The RMS level of a μ-law frame in dBFS (−Infinity for digital silence). */
export function pcmuLevelDbfs(payload: Uint8Array): number {
  if (payload.length === 0) return Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const byte of payload) {
    const s = ULAW[byte] as number;
    sum += s * s;
  }
  const rms = Math.sqrt(sum / payload.length);
  return rms === 0 ? Number.NEGATIVE_INFINITY : 20 * Math.log10(rms / 32768);
}

/** Whether one received payload is silence, for the codec it is in. */
export function isSilentPayload(codec: 'opus' | 'pcmu', payload: Uint8Array): boolean {
  return codec === 'pcmu' ? pcmuLevelDbfs(payload) < PCMU_SILENCE_DBFS : payload.length <= OPUS_SILENT_BYTES;
}

/** Tracks voice over time; `silentFor` says how long the caller has been quiet. */
export class SilenceDetector {
  private lastVoiceAt: number;
  /** When voice was last heard; undefined until the caller said anything. */
  lastVoice: number | undefined;

  constructor(
    readonly codec: 'opus' | 'pcmu',
    private readonly now: () => number = Date.now,
  ) {
    this.lastVoiceAt = now();
  }

  /** A received payload; returns whether it was voice. */
  hear(payload: Uint8Array): boolean {
    if (isSilentPayload(this.codec, payload)) return false;
    this.lastVoiceAt = this.now();
    this.lastVoice = this.lastVoiceAt;
    return true;
  }

  /** Milliseconds since the last voice (or since the start, if none yet). */
  silentFor(): number {
    return this.now() - this.lastVoiceAt;
  }
}
