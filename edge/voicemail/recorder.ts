/**
 * The caller's message as it arrives: RTP payloads placed by their RTP
 * timestamp (reordered packets go back in order, duplicates are dropped,
 * gaps — lost packets, DTX — become silence), kept up to the last voiced
 * packet plus a short tail, then written as Ogg Opus: Opus payloads as they
 * are, μ-law converted by ffmpeg.
 */

import { opusGapPacket, opusPacketSamples, writeOggOpus } from '../shared/ogg-opus';
import { ulawToOggOpus } from './ffmpeg';
import type { AudioCodec } from './webrtc-sdh';

/** Kept after the last voiced packet, so a message does not end mid-breath. */
const TAIL_MS = 400;
const CLOCK: Record<AudioCodec, number> = { opus: 48_000, pcmu: 8_000 };

/** What a received packet must say about itself. */
export interface ReceivedPacket {
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
  payload: Buffer;
}

/** A finished message. */
export interface RecordedMessage {
  audio: Buffer;
  contentType: 'audio/ogg';
  durationMs: number;
}

export class MessageRecorder {
  private readonly frames = new Map<number, Buffer>();
  private readonly seen = new Set<string>();
  /** Per SSRC: the position (samples from the start) its timestamp 0 maps to. */
  private readonly bases = new Map<number, number>();
  private end = 0;
  private lastArrival = 0;
  private voicedEnd = 0;
  readonly clock: number;

  constructor(readonly codec: AudioCodec) {
    this.clock = CLOCK[codec];
  }

  /** Adds a packet; `voiced` marks it as speech (the message is kept up to the last one). */
  add(packet: ReceivedPacket, voiced: boolean, arrivedAt = Date.now()): void {
    const key = `${packet.ssrc}:${packet.sequenceNumber}`;
    if (this.seen.has(key) || packet.payload.length === 0) return;
    this.seen.add(key);
    let base = this.bases.get(packet.ssrc);
    if (base === undefined) {
      // A new source (the first, or rtpengine switching streams): it starts where the
      // audio so far ends, plus the time that passed since the last packet.
      const gap =
        this.lastArrival === 0 ? 0 : Math.max(0, ((arrivedAt - this.lastArrival) * this.clock) / 1000 - this.samples(packet.payload));
      base = this.end + Math.round(gap) - packet.timestamp;
      this.bases.set(packet.ssrc, base);
    }
    // Timestamps wrap at 2^32: the position is relative to the base, modulo that.
    const position = (((packet.timestamp + base) % 2 ** 32) + 2 ** 32) % 2 ** 32;
    if (position > this.end + this.clock * 60) return; // nonsense: a minute ahead of anything heard
    this.frames.set(position, packet.payload);
    const until = position + this.samples(packet.payload);
    this.end = Math.max(this.end, until);
    this.lastArrival = arrivedAt;
    if (voiced) this.voicedEnd = Math.max(this.voicedEnd, until);
  }

  /** The message's length as it will be kept: up to the last voice plus the tail (0 if nobody spoke). */
  get durationMs(): number {
    if (this.voicedEnd === 0) return 0;
    return Math.round((Math.min(this.end, this.voicedEnd + (TAIL_MS * this.clock) / 1000) * 1000) / this.clock);
  }

  /** The message as an Ogg Opus file. */
  async finish(): Promise<RecordedMessage> {
    const durationMs = this.durationMs;
    const keep = Math.round((durationMs * this.clock) / 1000);
    const ordered = [...this.frames.entries()].filter(([pos]) => pos < keep).sort((a, b) => a[0] - b[0]);
    const audio = this.codec === 'opus' ? writeOggOpus(opusStream(ordered)) : await ulawToOggOpus(ulawStream(ordered, keep));
    return { audio, contentType: 'audio/ogg', durationMs };
  }

  private samples(payload: Buffer): number {
    return this.codec === 'opus' ? opusPacketSamples(payload) : payload.length;
  }
}

/** Opus packets in order with concealment packets (the TOC of the packet before, alone) filling the gaps. */
function opusStream(ordered: Array<[number, Buffer]>): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  let toc = (ordered[0]?.[1][0] ?? 0x08) as number; // 0x08: SILK narrowband 20 ms, a harmless default
  for (const [position, payload] of ordered) {
    if (position < at) continue; // overlaps what is already there
    const gap = opusGapPacket(toc);
    const step = opusPacketSamples(gap);
    while (position - at >= step) {
      out.push(gap);
      at += step;
    }
    out.push(payload);
    toc = payload[0] as number;
    at = position + opusPacketSamples(payload);
  }
  return out;
}

/** μ-law samples from position 0 to `length`, silence (0xFF) where nothing arrived. */
function ulawStream(ordered: Array<[number, Buffer]>, length: number): Buffer {
  const out = Buffer.alloc(length, 0xff);
  for (const [position, payload] of ordered) payload.copy(out, position, 0, Math.max(0, Math.min(payload.length, length - position)));
  return out;
}
