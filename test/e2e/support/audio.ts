import { execFile } from 'node:child_process';
import { dominantTone } from '../../../scripts/lib/edge-tone';

/**
 * What a test needs to say what was heard: Debian's ffmpeg decodes any
 * recording (WebM, Ogg, WAV) to mono PCM, and a Goertzel filter says how
 * much of it is one tone.
 */
export const ANALYSIS_RATE = 8000;

/** Decodes audio bytes in any container ffmpeg reads to mono float samples at ANALYSIS_RATE. */
export function decode(audio: Uint8Array): Promise<Float32Array> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'ffmpeg',
      ['-nostdin', '-loglevel', 'error', '-i', 'pipe:0', '-f', 'f32le', '-ac', '1', '-ar', String(ANALYSIS_RATE), 'pipe:1'],
      { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
      (err, stdout) => {
        if (err) return reject(err);
        const bytes = stdout as unknown as Buffer;
        resolve(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
      },
    );
    child.stdin?.end(Buffer.from(audio));
  });
}

/** Root mean square: 0 is silence, a full-scale sine is 0.707. */
export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
}

/** The share (0–1) of the samples' energy at `hz` (Goertzel over the whole span). */
export function toneShare(samples: Float32Array, hz: number): number {
  return Math.min(1, dominantTone(samples, ANALYSIS_RATE, [hz]).share);
}

/** The samples between two times (seconds). */
export function slice(samples: Float32Array, fromS: number, toS: number): Float32Array {
  return samples.subarray(Math.max(0, Math.floor(fromS * ANALYSIS_RATE)), Math.min(samples.length, Math.floor(toS * ANALYSIS_RATE)));
}

/**
 * Of the 100 ms frames that carry sound (RMS above `floor`), the share in
 * which `hz` holds most of the energy. Frame by frame, so a late start, a
 * gap or a fade does not dilute the answer; 100 ms frames put 440, 660 and
 * 1000 Hz exactly on a Goertzel bin.
 */
export function framesDominatedBy(samples: Float32Array, hz: number, floor = 0.005): number {
  const size = ANALYSIS_RATE / 10;
  let voiced = 0;
  let dominated = 0;
  for (let at = 0; at + size <= samples.length; at += size) {
    const frame = samples.subarray(at, at + size);
    if (rms(frame) < floor) continue;
    voiced++;
    if (toneShare(frame, hz) > 0.5) dominated++;
  }
  return voiced === 0 ? 0 : dominated / voiced;
}
