/**
 * What the simulated phone network (baresip) heard on a call: its sndfile
 * module writes each call's received audio to `dump-…-dec.wav` as the
 * packets arrive, so the file grows while the other side sends and stops
 * growing when it falls silent (no packets, no samples).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { delay } from '../../../scripts/lib/edge-process';
import { decode } from './audio';

/**
 * The recordings directory of the baresip listening on ctrl_tcp `ctrlPort`.
 * The e2e global setup does not tell tests where its edge lives (and a
 * restart moves it), so ask the running process: its `-f <dir>` holds the
 * config naming that control port, and `<dir>/recordings` (scripts/lib/edge-baresip.ts).
 */
export function gatewayRecordings(ctrlPort: number): string {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const dir = argv[argv.indexOf('-f') + 1];
      if (!argv[0]?.endsWith('baresip') || !dir) continue;
      if (readFileSync(join(dir, 'config'), 'utf8').includes(`ctrl_tcp_listen 127.0.0.1:${ctrlPort}\n`)) return join(dir, 'recordings');
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  throw new Error(`no baresip with ctrl_tcp on port ${ctrlPort}`);
}

/** The received-audio recording in `dir` written since `since` (ms), once there is one. */
export async function callRecording(dir: string, since: number, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const file = readdirSync(dir)
      .filter((f) => f.endsWith('-dec.wav'))
      .map((f) => ({ path: join(dir, f), t: statSync(join(dir, f)).mtimeMs }))
      // By when it was written: names carry whole seconds only, and the call's file is being written now.
      .filter((x) => x.t >= since)
      .sort((a, b) => b.t - a.t)[0];
    if (file) return file.path;
    await delay(50);
  }
  throw new Error(`the phone network recorded nothing after ${new Date(since).toISOString()}`);
}

/**
 * Resolves, once the recording has stopped growing for 1.5 s after growing
 * for at least `minMs` of audio (8 kHz, 16-bit), with when it last grew:
 * when the last packet the caller heard arrived.
 */
export async function quietSince(file: string, options: { minMs: number; timeoutMs?: number }): Promise<number> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  const minBytes = (options.minMs / 1000) * 8000 * 2;
  let size = 0;
  let grewAt = 0;
  while (Date.now() < deadline) {
    const now = Date.now();
    const current = statSync(file).size;
    if (current > size) {
      size = current;
      grewAt = now;
    } else if (size > minBytes && now - grewAt > 1500) {
      return grewAt;
    }
    await delay(25);
  }
  throw new Error(`${file} never went quiet (${size} bytes)`);
}

/** The finished recording (baresip completes the WAV header when the call ends) as mono float samples at 8 kHz. */
export async function finishedRecording(file: string, timeoutMs = 5000): Promise<Float32Array> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bytes = readFileSync(file);
    // The RIFF size counts everything after its own 8 bytes once the header is written for good.
    if (bytes.length > 44 && bytes.readUInt32LE(4) === bytes.length - 8) return decode(bytes);
    if (Date.now() > deadline) throw new Error(`${file} was never finished`);
    await delay(100);
  }
}
