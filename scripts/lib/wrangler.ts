/** Running wrangler locally, the same way for `npm start`, the tests and the benchmarks. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Managed, startProcess } from './processes';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WRANGLER = `${ROOT}node_modules/.bin/wrangler`;

/** wrangler must never reach the internet from here (metrics, cf object, update checks). */
export function offlineEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    NO_UPDATE_NOTIFIER: '1',
    ...extra,
  };
}

/** Runs one wrangler command to completion and returns its stdout; throws with its output on failure. */
export function wrangler(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(WRANGLER, args, { cwd: ROOT, env: offlineEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`wrangler ${args.join(' ')} exited ${code}\n${out}\n${err}`)),
    );
  });
}

function persistArgs(persistTo?: string): string[] {
  return persistTo ? ['--persist-to', persistTo] : [];
}

/** Applies the numbered D1 migrations to the local database. */
export function applyMigrations(persistTo?: string): Promise<string> {
  return wrangler(['d1', 'migrations', 'apply', 'DB', '--local', ...persistArgs(persistTo)]);
}

/** Runs SQL against the local D1 and returns the rows of the last statement. */
export async function queryLocal<T>(sql: string, persistTo?: string): Promise<T[]> {
  const out = await wrangler(['d1', 'execute', 'DB', '--local', '--json', '--command', sql, ...persistArgs(persistTo)]);
  const results = JSON.parse(out) as Array<{ results: T[] }>;
  return results.at(-1)?.results ?? [];
}

/** Runs a SQL file against the local D1. */
export function executeFile(file: string, persistTo?: string): Promise<string> {
  return wrangler(['d1', 'execute', 'DB', '--local', '--file', file, ...persistArgs(persistTo)]);
}

export interface DevServer {
  url: string;
  process: Managed;
}

/** Starts `wrangler dev` on loopback and resolves once /api/health answers. */
export async function startWranglerDev(options: {
  port: number;
  persistTo?: string;
  quiet?: boolean;
  vars?: Record<string, string>;
}): Promise<DevServer> {
  const vars = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const managed = startProcess(
    'wrangler dev',
    WRANGLER,
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--show-interactive-dev-session=false',
      ...persistArgs(options.persistTo),
      ...vars,
    ],
    { cwd: ROOT, env: offlineEnv(), stdio: options.quiet ? 'ignore' : 'inherit' },
  );
  const url = `http://127.0.0.1:${options.port}`;
  await waitForHealth(url, managed);
  return { url, process: managed };
}

/** Polls /api/health until it answers 200; fails if the process dies or time runs out. */
export async function waitForHealth(url: string, managed: Managed, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let died = false;
  void managed.exited.then(() => (died = true));
  while (Date.now() < deadline) {
    if (died) throw new Error(`${managed.name} exited before it was healthy`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await managed.stop();
  throw new Error(`${managed.name} was not healthy at ${url} within ${timeoutMs} ms`);
}
