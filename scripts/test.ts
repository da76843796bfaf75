/**
 * `npm test`: the whole suite in one go — build the PWA (worker tests need
 * its assets folder, e2e tests serve it), check the generated binding types,
 * type-check every runtime, lint, then every vitest project (workerd, web,
 * end to end). The last line is `N passed, N failed[, N skipped]`, counting
 * each static check as one test; any failure exits non-zero.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlineEnv, ROOT } from './lib/wrangler';

const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const env = offlineEnv({ VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' });
let passed = 0;
let failed = 0;
let skipped = 0;

const TYPES_FILE = join(ROOT, 'worker', 'worker-configuration.d.ts');

/** Fails when `npm run types` would change the committed binding types. */
function checkBindingTypes(): void {
  const committed = readFileSync(TYPES_FILE, 'utf8');
  const result = spawnSync(
    bin('wrangler'),
    ['types', 'worker/worker-configuration.d.ts', '--strict-vars=false', '--env-file', 'worker/secrets.example.env'],
    {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    },
  );
  const generated = readFileSync(TYPES_FILE, 'utf8');
  writeFileSync(TYPES_FILE, committed);
  if (result.status === 0 && generated === committed) {
    passed++;
    console.log('✓ binding types are current (npm run types)');
  } else {
    failed++;
    console.log(`✗ binding types are stale: run npm run types\n${result.stdout}${result.stderr}`);
  }
}

/** Runs one static check; its output is shown only when it fails. */
function check(label: string, command: string, args: string[]): void {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) {
    passed++;
    console.log(`✓ ${label} (${seconds} s)`);
  } else {
    failed++;
    console.log(`✗ ${label} (${seconds} s)\n${result.stdout}${result.stderr}`);
  }
}

check('build the PWA', bin('vite'), ['build', '-c', 'web/vite.config.ts', '--logLevel', 'error']);
// `wrangler types --check` ignores --env-file (it always reports stale here),
// so regenerate and compare; the committed file is restored either way.
checkBindingTypes();
for (const project of ['worker', 'web', 'web/src/sw', 'tsconfig.node.json']) check(`typecheck ${project}`, bin('tsc'), ['-p', project]);
check('lint and format (biome)', bin('biome'), ['check', '.']);

const report = join(mkdtempSync(join(tmpdir(), 'softphone-test-')), 'vitest.json');
const vitest = spawnSync(
  bin('vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  },
);
try {
  const results = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    success: boolean;
  };
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + results.numTodoTests;
  // Errors outside tests (a crashed setup, an unhandled rejection) fail the run too.
  if (!results.success && results.numFailedTests === 0) failed++;
} catch {
  console.log('✗ vitest wrote no report');
  failed++;
}
if (vitest.status !== 0 && failed === 0) failed++;

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
