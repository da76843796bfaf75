/**
 * The recorded packets → one continuous track per stream, ready for ffmpeg.
 * A stream is what one side sent to one of rtpengine's ports with one SSRC
 * and one codec. Inside a stream, packets are placed by RTP timestamp (not
 * by arrival, which jitters) and gaps — lost packets, silence suppression,
 * hold — are filled with silence, so the track's length is the stream's real
 * time. Each track starts at its first packet's capture time; the mix lines
 * tracks up by those.
 */
import { type OggOpusOptions, OPUS_SILENCE_10MS, OPUS_SILENCE_20MS, opusPacketSamples, writeOggOpus } from '../../shared/ogg-opus';
import type { CapturedUdp } from './pcap';
import { type AudioCodec, audioCodecOf, type Codec, parseRtp } from './rtp';

/** One track: encoded audio in a form ffmpeg reads, and where it starts. */
export interface Track {
  codec: AudioCodec;
  /** Capture time of the first packet, ms since the epoch. */
  startMs: number;
  /** Length of the track, ms. */
  durationMs: number;
  /** Raw G.711 bytes (8 kHz mono), or an Ogg Opus file. */
  data: Buffer;
  packets: number;
}

/** When RTP time and capture time drift apart by more than this, the sender restarted its clock: a new track begins. */
const RESYNC_MS = 1000;
/** G.711 silence: the code for 0. */
const G711_SILENCE: Record<'PCMU' | 'PCMA', number> = { PCMU: 0xff, PCMA: 0xd5 };

interface Placed {
  atMs: number;
  /** Samples since the stream's first packet, in the codec's clock. */
  offset: number;
  payload: Buffer;
}

interface Stream {
  codec: AudioCodec;
  clockRate: number;
  packets: Array<{ atMs: number; timestamp: number; sequence: number; payload: Buffer }>;
}

/** Groups the recorded datagrams into streams (port, SSRC, codec), in arrival order. */
function streamsOf(packets: Iterable<CapturedUdp>, ports: Map<number, Map<number, Codec>>): Stream[] {
  const streams = new Map<string, Stream>();
  for (const udp of packets) {
    const types = ports.get(udp.dstPort);
    if (!types) continue;
    const rtp = parseRtp(udp.payload);
    if (!rtp || rtp.payload.length === 0) continue;
    const described = types.get(rtp.payloadType);
    const codec = described && audioCodecOf(described);
    if (!described || !codec) continue;
    const key = `${udp.dstPort}/${rtp.ssrc}/${codec}`;
    let stream = streams.get(key);
    if (!stream) {
      stream = { codec, clockRate: codec === 'opus' ? 48000 : described.clockRate || 8000, packets: [] };
      streams.set(key, stream);
    }
    stream.packets.push({ atMs: udp.atMs, timestamp: rtp.timestamp, sequence: rtp.sequence, payload: rtp.payload });
  }
  return [...streams.values()];
}

/**
 * Splits a stream into runs whose RTP timestamps agree with the capture
 * clock, each packet with its offset from the run's first one. Timestamps are
 * unwrapped (32 bits roll over after 24 h at 48 kHz); packets that arrived
 * out of order are put back; a repeated timestamp (a duplicate) is dropped.
 */
function runsOf(stream: Stream): Placed[][] {
  const runs: Placed[][] = [];
  let run: Placed[] = [];
  let base = { atMs: 0, ts: 0 };
  let last = 0;
  for (const p of stream.packets) {
    if (run.length === 0) {
      base = { atMs: p.atMs, ts: p.timestamp };
      last = 0;
      run.push({ atMs: p.atMs, offset: 0, payload: p.payload });
      continue;
    }
    // The signed 32-bit difference from the last packet, added to the last offset: unwraps.
    const delta = (p.timestamp - ((base.ts + last) >>> 0)) | 0;
    const offset = last + delta;
    const expectedMs = base.atMs + (offset * 1000) / stream.clockRate;
    if (Math.abs(expectedMs - p.atMs) > RESYNC_MS) {
      runs.push(run);
      run = [];
      base = { atMs: p.atMs, ts: p.timestamp };
      last = 0;
      run.push({ atMs: p.atMs, offset: 0, payload: p.payload });
      continue;
    }
    run.push({ atMs: p.atMs, offset, payload: p.payload });
    last = Math.max(last, offset);
  }
  if (run.length > 0) runs.push(run);
  return runs.map((r) => {
    const sorted = r.sort((a, b) => a.offset - b.offset);
    const kept = sorted.filter((p, i) => i === 0 || p.offset !== sorted[i - 1]?.offset);
    // A run may start with a packet that arrived late: its offset is then negative.
    const first = kept[0]?.offset ?? 0;
    return kept.map((p) => ({ ...p, offset: p.offset - first }));
  });
}

/** G.711: one byte per sample at 8 kHz; gaps are the silence code. */
function g711Track(codec: 'PCMU' | 'PCMA', run: Placed[]): { data: Buffer; samples: number } {
  const lastPacket = run[run.length - 1];
  const samples = (lastPacket?.offset ?? 0) + (lastPacket?.payload.length ?? 0);
  const data = Buffer.alloc(samples, G711_SILENCE[codec]);
  for (const p of run) p.payload.copy(data, p.offset);
  return { data, samples };
}

/**
 * How a recording's Opus track is written: a page a packet, a fixed serial,
 * and no pre-skip (RTP does not say; a few ms of decoder warm-up is harmless).
 */
const TRACK_OGG: OggOpusOptions = { serial: 0x5f5e1d, preSkip: 0, vendor: 'softphone-edge', packetsPerPage: 1 };

/** Opus: packets back to back in Ogg, gaps filled with 20 and 10 ms silence packets. */
function opusTrack(run: Placed[]): { data: Buffer; samples: number } {
  const packets: Buffer[] = [];
  let written = 0;
  for (const p of run) {
    const length = opusPacketSamples(p.payload);
    if (length === 0) continue;
    // Wholly inside audio already written (a late duplicate under another timestamp): skip.
    if (p.offset + length <= written) continue;
    let gap = p.offset - written;
    while (gap >= 960) {
      packets.push(OPUS_SILENCE_20MS);
      written += 960;
      gap -= 960;
    }
    if (gap >= 480) {
      packets.push(OPUS_SILENCE_10MS);
      written += 480;
    }
    // Less than 10 ms left over stays a debt, paid by the next gap: the track never drifts.
    packets.push(p.payload);
    written += length;
  }
  return { data: writeOggOpus(packets, TRACK_OGG), samples: written };
}

/** Every track of a recording, in order of their start. */
export function buildTracks(packets: Iterable<CapturedUdp>, ports: Map<number, Map<number, Codec>>): Track[] {
  const tracks: Track[] = [];
  for (const stream of streamsOf(packets, ports)) {
    for (const run of runsOf(stream)) {
      // The least-delayed packet says best when the stream started (arrival only ever adds jitter).
      const startMs = run.reduce((min, p) => Math.min(min, p.atMs - (p.offset * 1000) / stream.clockRate), Number.POSITIVE_INFINITY);
      const built = stream.codec === 'opus' ? opusTrack(run) : g711Track(stream.codec, run);
      tracks.push({
        codec: stream.codec,
        startMs,
        durationMs: (built.samples * 1000) / stream.clockRate,
        data: built.data,
        packets: run.length,
      });
    }
  }
  return tracks.sort((a, b) => a.startMs - b.startMs);
}
