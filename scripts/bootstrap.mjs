#!/usr/bin/env node
// Entry point of `npm start` and `npm test` on a fresh clone: installs the
// npm dependencies when they are missing (plain JavaScript, because nothing
// that runs TypeScript is installed yet), then hands over to the TypeScript
// script named by the first argument (start by default).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const task = process.argv[2] ?? 'start';

const installed = existsSync(join(root, 'node_modules', '.package-lock.json')) && existsSync(join(root, 'node_modules', '.bin', 'tsx'));
if (!installed) {
  console.log('Installing npm dependencies (npm ci)…');
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (ci.status !== 0) process.exit(ci.status ?? 1);
}

// Hand over: the child gets our signals (npm sends SIGTERM/SIGINT here) and
// our exit code is its exit code.
const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', `${task}.ts`), ...process.argv.slice(3)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
// If whoever started us dies without a signal reaching us (a shell killed
// hard), we are re-parented: stop the child rather than leave it running.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill('SIGTERM');
}, 1000).unref();
