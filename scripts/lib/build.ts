import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { offlineEnv, ROOT } from './wrangler';

/** Builds the PWA that wrangler dev serves (`npm start`, and each bench, so none measures a stale `web/dist`). */
export function buildPwa(): void {
  const build = spawnSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '-c', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: offlineEnv(),
  });
  if (build.status !== 0) throw new Error('PWA build failed');
}
