/** A known sound for the simulated phone network to play: a sine tone as a 16-bit mono WAV. */
import { writeFileSync } from 'node:fs';

/** Writes `seconds` of a `hz` tone at `rate` samples/s (8 kHz suits G.711) to `path`. */
export function writeToneWav(path: string, options: { hz?: number; seconds?: number; rate?: number; amplitude?: number } = {}): void {
  const hz = options.hz ?? 440;
  const rate = options.rate ?? 8000;
  const samples = Math.round((options.seconds ?? 60) * rate);
  const amplitude = Math.round((options.amplitude ?? 0.5) * 32767);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16); // PCM format chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}

/** The samples of a 16-bit mono PCM WAV (as baresip's sndfile module writes them). */
export function readWavSamples(bytes: Buffer): { rate: number; samples: Int16Array } {
  let at = 12;
  let rate = 8000;
  while (at + 8 <= bytes.length) {
    const id = bytes.toString('ascii', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === 'fmt ') rate = bytes.readUInt32LE(at + 12);
    if (id === 'data') {
      const end = Math.min(bytes.length, at + 8 + size);
      const samples = new Int16Array((end - at - 8) >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(at + 8 + i * 2);
      return { rate, samples };
    }
    at += 8 + size + (size & 1);
  }
  return { rate, samples: new Int16Array(0) };
}

/**
 * The power at `hz` over a stretch of samples (Goertzel: one DFT bin, no FFT);
 * a pure tone of N samples gives about N/2 times its mean-square energy.
 */
export function goertzelPower(samples: Iterable<number>, hz: number, rate: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** The strongest frequency (Hz) among `candidates` in a stretch of samples (Goertzel), with its share of the energy. */
export function dominantTone(
  samples: ArrayLike<number> & Iterable<number>,
  rate: number,
  candidates: number[],
): { hz: number; share: number } {
  let total = 0;
  for (const s of samples) total += s * s;
  let best = { hz: 0, power: 0 };
  for (const hz of candidates) {
    const power = goertzelPower(samples, hz, rate);
    if (power > best.power) best = { hz, power };
  }
  // Goertzel power of a pure tone is about N/2 times its mean-square energy.
  const share = total > 0 ? best.power / ((samples.length / 2) * total) : 0;
  return { hz: best.hz, share };
}
