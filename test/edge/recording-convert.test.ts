/**
 * The edge agent's recording converter on a synthetic rtpengine recording:
 * a pcap and metadata file written here the way rtpengine writes them, with
 * one PCMU leg (a 440 Hz tone) and one Opus leg (1000 Hz, packets from
 * ffmpeg's libopus), lost packets and a late start. The MP3 is decoded with
 * ffmpeg and listened to: each tone where it belongs, silence elsewhere.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertRecording } from '../../edge/agent/recordings/convert';
import { callIdFromFileName, parseMetadata } from '../../edge/agent/recordings/metadata';
import { udpPackets } from '../../edge/agent/recordings/pcap';
import { parseRtp } from '../../edge/agent/recordings/rtp';
import { OPUS_SILENCE_20MS, opusPacketSamples, readOggOpusPackets, writeOggOpus } from '../../edge/shared/ogg-opus';
import { analyse, decode, metadata, pcap, record, rtp, tone } from './support/recording-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'recording-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recording converter: rtpengine pcap + metadata → one MP3', () => {
  it('reads the metadata: pcap, Call-ID, each port’s payload types; the file name is the fallback for the Call-ID', () => {
    const meta = parseMetadata(metadata('/x/a.pcap', 'abc/1@host', 1000), '/x/rtpengine-meta-abc%2F1%40host-0123456789abcdef.txt');
    expect(meta.callId).toBe('abc/1@host');
    expect(meta.pcapPath).toBe('/x/a.pcap');
    expect(meta.ports.get(30000)?.get(111)).toEqual({ name: 'opus', clockRate: 48000 });
    expect(meta.ports.get(30010)?.get(0)).toEqual({ name: 'PCMU', clockRate: 8000 });
    expect(callIdFromFileName('rtpengine-meta-abc%2F1%40host-0123456789abcdef.txt')).toBe('abc/1@host');
  });

  it('Opus packet lengths come from the TOC byte', () => {
    expect(opusPacketSamples(Buffer.from([0xf8, 0xff, 0xfe]))).toBe(960); // CELT 20 ms, one frame
    expect(opusPacketSamples(Buffer.from([0x10, 0]))).toBe(1920); // SILK 40 ms
    expect(opusPacketSamples(Buffer.from([0x78, 0]))).toBe(960); // hybrid 20 ms
    expect(opusPacketSamples(Buffer.from([0x80, 0]))).toBe(120); // CELT 2.5 ms
    expect(opusPacketSamples(Buffer.from([0xf9, 0]))).toBe(1920); // two 20 ms frames
    expect(opusPacketSamples(Buffer.from([0xfb, 0x03, 0]))).toBe(2880); // three, counted in the second byte
  });

  it('mixes a PCMU leg and an Opus leg by their timestamps; gaps are silence; both tones audible where they were sent', async () => {
    const t0 = 1_790_000_000_000;
    // Leg A (the phone network → port 30010): PCMU 440 Hz for 3 s from t0, 0.5 s of it lost in the middle.
    const ulaw = tone(440, 3, ['-ar', '8000', '-f', 'mulaw']);
    // Leg B (a browser → port 30000): Opus 1000 Hz for 2 s, starting 1.5 s after A.
    const ogg = tone(1000, 2, ['-c:a', 'libopus', '-b:a', '24k', '-frame_duration', '20', '-f', 'ogg']);
    const opus = readOggOpusPackets(ogg);
    expect(opus.length).toBeGreaterThan(90);

    const records: Array<{ at: number; bytes: Buffer }> = [];
    for (let i = 0; i * 160 < ulaw.length; i++) {
      const ms = i * 20;
      if (ms >= 1000 && ms < 1500) continue; // lost
      // Arrival jitters by up to 15 ms; the RTP timestamp does not.
      const jitter = (i * 7) % 16;
      records.push({
        at: t0 + ms + jitter,
        bytes: record(t0 + ms + jitter, 40000, 30010, rtp(0, 100 + i, 5_000 + i * 160, 0xaaaa, ulaw.subarray(i * 160, i * 160 + 160))),
      });
    }
    // A DTMF event and RTCP on the same port are not audio.
    records.push({ at: t0 + 5, bytes: record(t0 + 5, 40000, 30010, rtp(101, 1, 0, 0xaaaa, Buffer.from([1, 0, 0, 160]))) });
    let ts = 4_294_960_000; // wraps around 2^32 within the leg
    opus.forEach((packet, i) => {
      const at = t0 + 1500 + i * 20 + ((i * 5) % 9);
      records.push({ at, bytes: record(at, 40002, 30000, rtp(111, 7 + i, ts, 0xbbbb, packet)) });
      ts = (ts + opusPacketSamples(packet)) >>> 0;
    });
    records.push({ at: t0 + 2000, bytes: record(t0 + 2000, 40003, 30000, Buffer.from([0x81, 200, 0, 6, 0, 0, 0xbb, 0xbb])) });
    records.sort((a, b) => a.at - b.at);
    // Reordered on the wire: swap two neighbours.
    const [x, y] = [records[40], records[41]] as [{ at: number; bytes: Buffer }, { at: number; bytes: Buffer }];
    records[40] = y;
    records[41] = x;

    const pcapPath = join(dir, 'call.pcap');
    writeFileSync(pcapPath, pcap(records.map((r) => r.bytes)));
    expect([...udpPackets(readFileSync(pcapPath))].filter((p) => parseRtp(p.payload)).length).toBe(records.length - 1);
    const metaPath = join(dir, 'rtpengine-meta-call-0123456789abcdef.txt');
    writeFileSync(metaPath, metadata(pcapPath, 'call-1@test', t0));

    const out = join(dir, 'call.mp3');
    const converted = await convertRecording(metaPath, out);
    expect(converted).toMatchObject({ callId: 'call-1@test' });
    expect(converted?.tracks.map((t) => t.codec).sort()).toEqual(['PCMU', 'opus']);
    expect(converted?.durationMs).toBeGreaterThan(3450);
    expect(converted?.durationMs).toBeLessThan(3600);
    expect(converted?.bytes).toBe(statSync(out).size);

    const pcm = decode(out);
    // MP3 frames pad the end a little.
    expect(pcm.length / 16000).toBeGreaterThan(3.4);
    expect(pcm.length / 16000).toBeLessThan(3.7);
    const a = analyse(pcm, 0.2, 0.9, 440);
    expect(a.rms).toBeGreaterThan(1000);
    expect(a.share).toBeGreaterThan(0.8);
    // The lost half second is silence, not the tone stretched or shifted.
    expect(analyse(pcm, 1.05, 1.45, 440).rms).toBeLessThan(100);
    // Both at once from 1.5 s to 3 s; the Opus leg alone after A ends.
    const both = analyse(pcm, 1.7, 2.8, 1000);
    expect(both.share).toBeGreaterThan(0.3);
    expect(analyse(pcm, 1.7, 2.8, 440).share).toBeGreaterThan(0.3);
    const opusOnly = analyse(pcm, 3.1, 3.4, 1000);
    expect(opusOnly.rms).toBeGreaterThan(1000);
    expect(opusOnly.share).toBeGreaterThan(0.8);
  });

  it('a recording without audio (a call that never connected) converts to nothing', async () => {
    const pcapPath = join(dir, 'empty.pcap');
    writeFileSync(pcapPath, pcap([]));
    const metaPath = join(dir, 'rtpengine-meta-empty-0123456789abcdef.txt');
    writeFileSync(metaPath, metadata(pcapPath, 'empty@test', Date.now()));
    expect(await convertRecording(metaPath, join(dir, 'empty.mp3'))).toBeNull();
  });

  it('silence packets fill Opus gaps: an Ogg of silence decodes to zeros of the right length', () => {
    const ogg = join(dir, 'silence.ogg');
    writeFileSync(
      ogg,
      writeOggOpus(
        Array.from({ length: 50 }, () => OPUS_SILENCE_20MS),
        { preSkip: 0 },
      ),
    );
    const pcm = decode(ogg);
    expect(Math.abs(pcm.length / 16000 - 1)).toBeLessThan(0.03);
    expect(analyse(pcm, 0, pcm.length / 16000, 1000).rms).toBe(0);
  });
});
