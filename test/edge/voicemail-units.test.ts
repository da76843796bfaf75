import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { opusPacketSamples, readOggOpusPackets, writeOggOpus } from '../../edge/shared/ogg-opus';
import { backoffMs } from '../../edge/shared/pacer';
import { ffmpeg, OGG_OPUS_OUT } from '../../edge/voicemail/ffmpeg';
import { MessageSpool } from '../../edge/voicemail/message-spool';
import { MessageRecorder } from '../../edge/voicemail/recorder';
import { isSilentPayload, pcmuLevelDbfs, SilenceDetector, ulawToLinear } from '../../edge/voicemail/silence';
import { mintCredential } from '../../edge/voicemail/sip-agent';
import { refusedForGood, Uploader } from '../../edge/voicemail/upload';
import { fixRemoteSdp, onlyAddress } from '../../edge/voicemail/webrtc-sdh';
import { delay } from '../../scripts/lib/edge-process';
import { dominantTone, readWavSamples } from '../../scripts/lib/edge-tone';
import { mintCredentials } from './support/credentials';

/** The voicemail service's pure parts, without the edge: silence, Ogg, the recorder, the spool and its delivery. */
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'softphone-vm-unit-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** μ-law encoding of a linear sample (G.711), for making test frames. */
function linearToUlaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(32635, Math.abs(sample)) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  s = ~(sign | (exponent << 4) | mantissa) & 0xff;
  return s;
}
const toneFrame = (amplitude: number, hz = 440, offset = 0) =>
  Buffer.from(
    Array.from({ length: 160 }, (_, i) => linearToUlaw(Math.round(amplitude * Math.sin((2 * Math.PI * hz * (offset + i)) / 8000)))),
  );

describe('silence detection', () => {
  it('reads μ-law levels: digital silence, line hiss and a quiet talker', () => {
    expect(ulawToLinear(0xff)).toBe(0);
    expect(ulawToLinear(linearToUlaw(1000))).toBeCloseTo(1000, -2);
    expect(pcmuLevelDbfs(Buffer.alloc(160, 0xff))).toBe(Number.NEGATIVE_INFINITY);
    expect(isSilentPayload('pcmu', toneFrame(20))).toBe(true); // about −67 dBFS: hiss
    expect(isSilentPayload('pcmu', toneFrame(500))).toBe(false); // about −39 dBFS: quiet speech
    expect(pcmuLevelDbfs(toneFrame(16000))).toBeGreaterThan(-10);
  });

  it('treats tiny Opus packets (DTX, digital silence) as silence and real frames as voice', () => {
    expect(isSilentPayload('opus', Buffer.from([0x78]))).toBe(true);
    expect(isSilentPayload('opus', Buffer.alloc(8, 1))).toBe(true);
    expect(isSilentPayload('opus', Buffer.alloc(40, 1))).toBe(false);
  });

  it('measures silence since the last voice, and from the start while nobody spoke', () => {
    let now = 1000;
    const detector = new SilenceDetector('pcmu', () => now);
    now += 3000;
    expect(detector.silentFor()).toBe(3000);
    expect(detector.lastVoice).toBeUndefined();
    expect(detector.hear(toneFrame(8000))).toBe(true);
    now += 500;
    expect(detector.hear(Buffer.alloc(160, 0xff))).toBe(false);
    expect(detector.silentFor()).toBe(500);
    expect(detector.lastVoice).toBe(4000);
  });
});

describe('Ogg Opus', () => {
  it('reads the packets of a file ffmpeg wrote, and writes them back into a file ffmpeg decodes to the same tone', async () => {
    const source = await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=660:duration=2', ...OGG_OPUS_OUT, '-f', 'ogg', 'pipe:1']);
    const packets = readOggOpusPackets(source);
    // 2 s of 20 ms packets (libopus adds one for its look-ahead)
    expect(packets.length).toBeGreaterThanOrEqual(100);
    expect(packets.length).toBeLessThanOrEqual(101);
    expect(packets.every((p) => opusPacketSamples(p) === 960)).toBe(true);
    const rewritten = writeOggOpus(packets);
    const wav = readWavSamples(await ffmpeg(['-i', 'pipe:0', '-ac', '1', '-ar', '8000', '-f', 'wav', 'pipe:1'], rewritten));
    expect(wav.samples.length / wav.rate).toBeGreaterThan(1.9);
    expect(dominantTone(wav.samples, wav.rate, [440, 660, 1000])).toMatchObject({ hz: 660 });
    expect(readOggOpusPackets(rewritten)).toEqual(packets);
  });

  it('knows each TOC configuration’s duration (RFC 6716)', () => {
    expect(opusPacketSamples(Buffer.from([0x08]))).toBe(960); // SILK NB 20 ms, one frame
    expect(opusPacketSamples(Buffer.from([0xf8 | 1]))).toBe(1920); // CELT FB 20 ms, two frames
    expect(opusPacketSamples(Buffer.from([0xf0 | 3, 3]))).toBe(3 * 480); // CELT FB 10 ms, three frames (code 3)
    expect(opusPacketSamples(Buffer.from([0xe0]))).toBe(120); // CELT FB 2.5 ms
  });
});

describe('the message recorder', () => {
  const packet = (seq: number, ts: number, payload: Buffer, ssrc = 1) => ({ ssrc, sequenceNumber: seq, timestamp: ts, payload });

  it('places μ-law packets by timestamp (reordered, duplicated, lost) and keeps up to the last voice', async () => {
    const recorder = new MessageRecorder('pcmu');
    const base = 4_294_960_000; // wraps past 2^32 during the message
    const order = [0, 2, 1, 3, 3, 5, 6, 7, 8, 9]; // 4 lost, 1 and 2 swapped, 3 twice
    for (const i of order) recorder.add(packet(i, (base + i * 160) % 2 ** 32, toneFrame(8000, 440, i * 160)), true, 1000 + i * 20);
    // Then two seconds of silence: not kept beyond the tail.
    for (let i = 10; i < 110; i++) recorder.add(packet(i, (base + i * 160) % 2 ** 32, Buffer.alloc(160, 0xff)), false, 1000 + i * 20);
    expect(recorder.durationMs).toBe(200 + 400);
    const message = await recorder.finish();
    expect(message.contentType).toBe('audio/ogg');
    const wav = readWavSamples(await ffmpeg(['-i', 'pipe:0', '-ac', '1', '-ar', '8000', '-f', 'wav', 'pipe:1'], message.audio));
    expect(wav.samples.length / wav.rate).toBeCloseTo(0.6, 1);
    expect(dominantTone(wav.samples.subarray(0, 1600), wav.rate, [440, 1000])).toMatchObject({ hz: 440 });
  });

  it('keeps nothing when nobody spoke', () => {
    const recorder = new MessageRecorder('opus');
    for (let i = 0; i < 50; i++) recorder.add(packet(i, i * 960, Buffer.from([0x08])), false);
    expect(recorder.durationMs).toBe(0);
  });

  it('fills Opus gaps (DTX, loss) with concealment packets so the timeline holds', async () => {
    const source = await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', ...OGG_OPUS_OUT, '-f', 'ogg', 'pipe:1']);
    const packets = readOggOpusPackets(source);
    const recorder = new MessageRecorder('opus');
    packets.forEach((p, i) => {
      if (i < 20 || i >= 30) recorder.add(packet(i, 1000 + i * 960, p), true); // 200 ms missing in the middle
    });
    expect(recorder.durationMs).toBe(packets.length * 20);
    const message = await recorder.finish();
    const written = readOggOpusPackets(message.audio);
    expect(written).toHaveLength(packets.length);
    expect(written.slice(20, 30).every((p) => p.length === 1)).toBe(true);
  });

  it('continues a new SSRC where the audio so far ended', () => {
    const recorder = new MessageRecorder('pcmu');
    for (let i = 0; i < 10; i++) recorder.add(packet(i, 8000 + i * 160, toneFrame(8000)), true, 1000 + i * 20);
    for (let i = 0; i < 10; i++) recorder.add(packet(500 + i, 123_456 + i * 160, toneFrame(8000), 2), true, 1200 + i * 20);
    expect(recorder.durationMs).toBe(400);
  });
});

describe('the message spool and its delivery', () => {
  const upload = (callId: string, receivedAt: number) => ({ callId, userId: 'usr_a', from: '+441614960000', receivedAt, durationMs: 2000 });

  it('keeps messages whole across a restart, oldest first, and forgets torn writes', () => {
    const dir = tempDir();
    const spool = new MessageSpool(dir);
    spool.put(upload('b', 2000), Buffer.from('second'), 'audio/ogg');
    spool.put(upload('a', 1000), Buffer.from('first'), 'audio/ogg');
    // A crash between the audio and its description leaves audio alone (and a temporary file).
    writeFileSync(join(dir, '00000000003000-deadbeef.ogg'), 'torn');
    writeFileSync(join(dir, '00000000003000-deadbeef.json.tmp'), '{');
    const again = new MessageSpool(dir);
    expect(again.pending().map((m) => m.upload.callId)).toEqual(['a', 'b']);
    expect(again.audio(again.pending()[0]?.id as string).toString()).toBe('first');
    expect(readdirSync(dir).filter((n) => n.startsWith('00000000003000'))).toEqual([]);
  });

  it('says which answers are final', () => {
    expect([400, 404, 409, 413, 415, 422].every(refusedForGood)).toBe(true);
    expect([401, 408, 429, 500, 502, 503, 0].some(refusedForGood)).toBe(false);
    expect(backoffMs(1, 500, 30_000, () => 0)).toBe(250);
    expect(backoffMs(20, 500, 30_000, () => 1)).toBe(30_000);
  });

  it('retries while the Worker is away, delivers once it answers, and sets aside what it refuses for good', async () => {
    const dir = tempDir();
    const spool = new MessageSpool(dir);
    const received: Array<{ query: string; type: string | undefined; bytes: number }> = [];
    let failNext = 2;
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (failNext-- > 0) return res.writeHead(503).end('down');
        if (req.url?.includes('callId=refused')) return res.writeHead(404).end('{"code":"no_mailbox"}');
        received.push({ query: req.url ?? '', type: req.headers['content-type'], bytes: Buffer.concat(chunks).length });
        res.writeHead(201).end('{"id":"vm_1"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const uploader = new Uploader({
      workerUrl: `http://127.0.0.1:${port}`,
      secret: 's',
      spool,
      log: () => undefined,
      minBackoffMs: 20,
      maxBackoffMs: 50,
    });
    try {
      spool.put(upload('call-1', 1000), Buffer.alloc(1234, 7), 'audio/ogg');
      spool.put(upload('refused', 2000), Buffer.alloc(10, 7), 'audio/ogg');
      uploader.start();
      await expect.poll(() => spool.pending().length, { timeout: 5000 }).toBe(0);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ type: 'audio/ogg', bytes: 1234 });
      expect(received[0]?.query).toContain('callId=call-1');
      expect(received[0]?.query).toContain('durationMs=2000');
      expect(uploader.stats).toMatchObject({ uploaded: 1, refused: 1, failures: 2 });
      expect(existsSync(join(dir, 'refused'))).toBe(true);
      expect(readdirSync(join(dir, 'refused')).sort()).toHaveLength(3);
    } finally {
      await uploader.stop();
      server.close();
    }
    await delay(10);
  });
});

describe('SIP and SDP details', () => {
  it('mints the same credential as the Worker and the tests (auth_ephemeral)', () => {
    const now = Date.UTC(2026, 0, 1);
    const ours = mintCredential('secret', 'voicemail', now, 3600);
    expect(ours).toMatchObject(mintCredentials('secret', 'voicemail', Math.floor(now / 1000) + 3600));
  });

  it('strips rtpengine’s a=rtcp line and keeps only candidates on the media address', () => {
    const sdp = ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 0', 'a=rtcp:21001', 'a=rtcp-mux', ''].join('\r\n');
    expect(fixRemoteSdp(sdp)).not.toContain('a=rtcp:21001');
    expect(fixRemoteSdp(sdp)).toContain('a=rtcp-mux');
    const local = [
      'a=candidate:1 1 udp 2116026367 127.0.0.1 40517 typ host',
      'a=candidate:2 1 udp 2116026367 192.0.2.2 50409 typ host',
    ].join('\r\n');
    expect(onlyAddress(local, '127.0.0.1')).toBe('a=candidate:1 1 udp 2116026367 127.0.0.1 40517 typ host');
  });
});
