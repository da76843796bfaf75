/** Runs a SIPp scenario from test/edge/sipp/ once against the edge and reports whether it passed. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCENARIOS = fileURLToPath(new URL('../sipp/', import.meta.url));

/** The outcome: SIPp exits 0 when its one call followed the scenario. */
export interface SippResult {
  passed: boolean;
  exitCode: number | null;
  /** SIPp's unexpected-message log, for failure messages. */
  errors: string;
}

/** Runs `scenario` (a file name in test/edge/sipp/) to `target` (host:port) over UDP, one call. */
export function runSipp(
  scenario: string,
  options: {
    target: string;
    localPort: number;
    keys?: Record<string, string>;
    auth?: { username: string; password: string };
    timeoutSeconds?: number;
  },
): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'softphone-sipp-'));
  const errorFile = join(dir, 'errors.log');
  const args = [
    options.target,
    '-sf',
    join(SCENARIOS, scenario),
    '-m',
    '1',
    '-t',
    'u1',
    '-i',
    '127.0.0.1',
    '-p',
    String(options.localPort),
    '-nostdin',
    '-timeout',
    `${options.timeoutSeconds ?? 10}s`,
    '-timeout_error',
    '-trace_err',
    '-error_file',
    errorFile,
    ...Object.entries(options.keys ?? {}).flatMap(([k, v]) => ['-key', k, v]),
    ...(options.auth ? ['-au', options.auth.username, '-ap', options.auth.password] : []),
  ];
  return new Promise((resolve) => {
    // Its own working directory: SIPp writes nothing into the repository.
    const child = spawn('sipp', args, { cwd: dir, stdio: 'ignore' });
    child.once('exit', (code) => {
      let errors = '';
      try {
        errors = readFileSync(errorFile, 'utf8');
      } catch {
        // no unexpected messages
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ passed: code === 0, exitCode: code, errors });
    });
  });
}
