/**
 * Running Debian's ffmpeg for the edge (recordings to MP3, greetings and
 * messages between Ogg Opus and μ-law): killed after a timeout, the end of
 * its stderr in the error when it fails.
 */
import { spawn } from 'node:child_process';

/** Runs `command` (ffmpeg) with `args`, feeding `input` on stdin; resolves with stdout. */
export function runFfmpeg(command: string, args: string[], options: { input?: Buffer; timeoutMs: number }): Promise<Buffer> {
  const { input, timeoutMs } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.once('error', reject);
    child.once('close', (code, signal) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`ffmpeg failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`)),
    );
    if (input && child.stdin) {
      // ffmpeg may stop reading early (a bad file): that error is its exit code's business.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}
