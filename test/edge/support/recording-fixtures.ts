/**
 * Synthetic rtpengine recordings for the recording tests: RTP packets in a
 * raw-IPv4 pcap and a metadata file laid out as rtpengine 10.5 writes them
 * (see edge/agent/recordings/metadata.ts), tones from ffmpeg, and decoding
 * and listening to what the converter made.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goertzelPower } from '../../../scripts/lib/edge-tone';

export const FFMPEG = '/usr/bin/ffmpeg';

/** Raw output of ffmpeg for a lavfi tone. */
export function tone(hz: number, seconds: number, format: string[]): Buffer {
  return execFileSync(
    FFMPEG,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=${hz}:sample_rate=48000:duration=${seconds}`,
      ...format,
      '-',
    ],
    {
      maxBuffer: 64 << 20,
    },
  );
}

export function rtp(pt: number, seq: number, ts: number, ssrc: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = pt;
  header.writeUInt16BE(seq & 0xffff, 2);
  header.writeUInt32BE(ts >>> 0, 4);
  header.writeUInt32BE(ssrc, 8);
  return Buffer.concat([header, payload]);
}

/** A raw-IPv4 pcap record (rtpengine's --recording-format=raw) of one UDP datagram. */
export function record(atMs: number, srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const ip = Buffer.alloc(28);
  ip[0] = 0x45;
  ip.writeUInt16BE(28 + payload.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  ip.writeUInt32BE(0x7f000001, 12);
  ip.writeUInt32BE(0x7f000001, 16);
  ip.writeUInt16BE(srcPort, 20);
  ip.writeUInt16BE(dstPort, 22);
  ip.writeUInt16BE(8 + payload.length, 24);
  const frame = Buffer.concat([ip, payload]);
  const head = Buffer.alloc(16);
  head.writeUInt32LE(Math.floor(atMs / 1000), 0);
  head.writeUInt32LE(Math.round((atMs % 1000) * 1000), 4);
  head.writeUInt32LE(frame.length, 8);
  head.writeUInt32LE(frame.length, 12);
  return Buffer.concat([head, frame]);
}

export function pcap(records: Buffer[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(101, 20);
  return Buffer.concat([header, ...records]);
}

export const sdp = (port: number, types: string, maps: string[]) =>
  [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP ${types}`,
    ...maps,
    `a=rtcp:${port + 1}`,
    '',
  ].join('\r\n');

/** A metadata file as rtpengine 10.5 writes it (see edge/agent/recordings/metadata.ts). */
export function metadata(pcapPath: string, callId: string, startMs: number): string {
  return [
    pcapPath,
    '',
    '',
    `Timestamp started ms: ${startMs}.000`,
    'SDP mode: offer',
    'SDP before RTP packet: 1',
    '',
    sdp(30000, '111 0 101', ['a=rtpmap:111 opus/48000/2', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000']),
    `Timestamp started ms: ${startMs}.100`,
    'SDP mode: answer',
    'SDP before RTP packet: 1',
    '',
    sdp(30010, '0', ['a=rtpmap:0 PCMU/8000']),
    `Timestamp terminated ms(first monologue): ${startMs + 4000}.000`,
    '',
    'call start time: 2026-11-28T08:00:00',
    'call end time: 2026-11-28T08:00:04',
    '',
    '',
    `callid=${callId}`,
    '',
  ].join('\n');
}

/** Mean square of 16 kHz s16 samples between two times; and how strong `hz` is there against the total (Goertzel). */
export function analyse(samples: Int16Array, fromS: number, toS: number, hz: number): { rms: number; share: number } {
  const part = samples.subarray(Math.floor(fromS * 16000), Math.floor(toS * 16000));
  let energy = 0;
  for (const s of part) energy += s * s;
  const power = goertzelPower(part, hz, 16000);
  return { rms: Math.sqrt(energy / Math.max(1, part.length)), share: energy > 0 ? (2 * power) / (part.length * energy) : 0 };
}

export function decode(mp3: string): Int16Array {
  const raw = execFileSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-i', mp3, '-f', 's16le', '-ac', '1', '-ar', '16000', '-'], {
    maxBuffer: 64 << 20,
  });
  return new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
}

/**
 * A finished two-second PCMU recording (440 Hz) in `dir`, as rtpengine leaves
 * it (`noAudio`: a call that never connected); returns the metadata file's name.
 */
export function writeRecording(dir: string, callId: string, name = 'call', options: { noAudio?: boolean } = {}): string {
  const t0 = Date.now() - 5000;
  const ulaw = options.noAudio ? Buffer.alloc(0) : tone(440, 2, ['-ar', '8000', '-f', 'mulaw']);
  const records: Buffer[] = [];
  for (let i = 0; i * 160 < ulaw.length; i++) {
    records.push(record(t0 + i * 20, 40000, 30010, rtp(0, i, i * 160, 0xaaaa, ulaw.subarray(i * 160, i * 160 + 160))));
  }
  const pcapPath = join(dir, 'pcaps', `${name}-0123456789abcdef.pcap`);
  writeFileSync(pcapPath, pcap(records));
  const file = `rtpengine-meta-${name}-0123456789abcdef.txt`;
  writeFileSync(join(dir, 'metadata', file), metadata(pcapPath, callId, t0));
  return file;
}
