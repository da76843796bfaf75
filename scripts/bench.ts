/** `npm run bench`: every `bench:<name>` script in package.json, one after the other. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/wrangler';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const names = Object.keys(pkg.scripts).filter((s) => s.startsWith('bench:'));
let failed = 0;
for (const name of names) {
  console.log(`\n▸ npm run ${name}`);
  const run = spawnSync('npm', ['run', '--silent', name], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
console.log(`\n${names.length - failed} benchmarks ran, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
