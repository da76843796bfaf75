/**
 * One finished rtpengine recording (metadata + pcap) → one MP3 of the whole
 * call: each stream becomes a track (tracks.ts), Debian's ffmpeg decodes
 * G.711 and Opus, lines the tracks up, mixes them without normalising (two
 * people talking are a sum, not an average), and encodes.
 *
 * MP3, mono, 16 kHz, 32 kbit/s CBR: about 240 KB per minute (a one-hour call
 * is 14 MB), wideband enough for Opus legs, and it plays in every browser's
 * <audio> (Safari's Ogg Opus support is recent and partial) and seeks by byte
 * range, which constant bitrate keeps exact.
 */

import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runFfmpeg } from '../../shared/ffmpeg';
import { readMetadata } from './metadata';
import { readPcapFile } from './pcap';
import { buildTracks, type Track } from './tracks';

/** What a conversion produced. */
export interface ConvertedRecording {
  callId: string;
  file: string;
  durationMs: number;
  bytes: number;
  /** Per track: codec, start after the first track (ms), length (ms), packets; for the log. */
  tracks: Array<{ codec: string; atMs: number; durationMs: number; packets: number }>;
  /** Wall time the conversion took, ms. */
  convertMs: number;
}

/** The uploaded format. */
export const RECORDING_MIME = 'audio/mpeg';
const MIX_RATE = 16000;

const INPUT_FORMAT: Record<Track['codec'], string[]> = {
  PCMU: ['-f', 'mulaw', '-ar', '8000', '-ac', '1'],
  PCMA: ['-f', 'alaw', '-ar', '8000', '-ac', '1'],
  opus: ['-f', 'ogg'],
};

/** The ffmpeg command line that mixes `files` (one per track) into `out`. */
export function ffmpegArgs(tracks: Track[], files: string[], out: string): string[] {
  const origin = Math.min(...tracks.map((t) => t.startMs));
  const inputs = tracks.flatMap((t, i) => [...INPUT_FORMAT[t.codec], '-i', files[i] as string]);
  const lined = tracks.map(
    (t, i) => `[${i}:a]aresample=${MIX_RATE},adelay=${Math.round(((t.startMs - origin) * MIX_RATE) / 1000)}S:all=1[t${i}]`,
  );
  const mix =
    tracks.length === 1
      ? '[t0]anull[out]'
      : `${tracks.map((_, i) => `[t${i}]`).join('')}amix=inputs=${tracks.length}:normalize=0:duration=longest[out]`;
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    [...lined, mix].join(';'),
    '-map',
    '[out]',
    '-map_metadata',
    '-1',
    '-ac',
    '1',
    '-ar',
    String(MIX_RATE),
    '-c:a',
    'libmp3lame',
    '-b:a',
    '32k',
    '-f',
    'mp3',
    out,
  ];
}

/**
 * Converts the recording described by `metadataFile` into `outFile` (written
 * under a temporary name, then renamed: a file at `outFile` is always whole).
 * Resolves null when the call has no audio at all (it never connected).
 */
export async function convertRecording(
  metadataFile: string,
  outFile: string,
  options: { ffmpeg?: string; timeoutMs?: number } = {},
): Promise<ConvertedRecording | null> {
  const started = performance.now();
  const meta = readMetadata(metadataFile);
  const tracks = buildTracks(readPcapFile(meta.pcapPath), meta.ports);
  if (tracks.length === 0) return null;
  const work = mkdtempSync(join(dirname(outFile), '.convert-'));
  try {
    const files = tracks.map((t, i) => {
      const file = join(work, `track-${i}.${t.codec === 'opus' ? 'ogg' : t.codec.toLowerCase()}`);
      writeFileSync(file, t.data);
      return file;
    });
    const partial = join(work, 'mix.mp3');
    // Generous: ffmpeg converts far faster than real time (docs/recording.md); a stuck one must not block the queue forever.
    await runFfmpeg(options.ffmpeg ?? '/usr/bin/ffmpeg', ffmpegArgs(tracks, files, partial), {
      timeoutMs: options.timeoutMs ?? 10 * 60_000,
    });
    renameSync(partial, outFile);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const origin = Math.min(...tracks.map((t) => t.startMs));
  const durationMs = Math.round(Math.max(...tracks.map((t) => t.startMs - origin + t.durationMs)));
  return {
    callId: meta.callId,
    file: outFile,
    durationMs,
    bytes: statSync(outFile).size,
    tracks: tracks.map((t) => ({
      codec: t.codec,
      atMs: Math.round(t.startMs - origin),
      durationMs: Math.round(t.durationMs),
      packets: t.packets,
    })),
    convertMs: Math.round(performance.now() - started),
  };
}
