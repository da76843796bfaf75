/**
 * Debian's ffmpeg (/usr/bin/ffmpeg) for the only audio work the service
 * cannot do on packets: turning a greeting as the browser recorded it
 * (usually WebM/Opus) into 20 ms Ogg Opus and 8 kHz μ-law, and a μ-law
 * message into Ogg Opus. Nothing is decoded in Node.
 */
import { runFfmpeg } from '../shared/ffmpeg';

const FFMPEG = process.env.FFMPEG ?? '/usr/bin/ffmpeg';

/** Arguments for an Ogg Opus output in 20 ms packets (what we send as RTP payloads). */
export const OGG_OPUS_OUT = ['-ac', '1', '-ar', '48000', '-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-frame_duration', '20'];
/** Arguments for a raw μ-law output (PCMU payloads, 160 bytes per 20 ms). */
export const ULAW_OUT = ['-ac', '1', '-ar', '8000', '-f', 'mulaw'];

/** Runs ffmpeg with `args` (input and outputs), feeding `input` on stdin; resolves with stdout. */
export function ffmpeg(args: string[], input?: Buffer, timeoutMs = 30_000): Promise<Buffer> {
  return runFfmpeg(FFMPEG, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args], { input, timeoutMs });
}

/** μ-law audio (8 kHz mono) → an Ogg Opus file. */
export function ulawToOggOpus(ulaw: Buffer): Promise<Buffer> {
  return ffmpeg(['-f', 'mulaw', '-ar', '8000', '-ac', '1', '-i', 'pipe:0', ...OGG_OPUS_OUT, '-f', 'ogg', 'pipe:1'], ulaw);
}
