import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { randomSecret } from '../../scripts/lib/dev-vars';
import { seedIfEmpty } from '../../scripts/lib/seed';
import { applyMigrations, type DevServer, ROOT, startWranglerDev } from '../../scripts/lib/wrangler';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the e2e run's wrangler dev serves the app and the API. */
    appUrl: string;
  }
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

let dev: DevServer | undefined;
let state: string | undefined;

/** One wrangler dev for the run, with its own fresh local state (never the developer's), seeded with the demo business. */
export async function setup(project: TestProject): Promise<void> {
  if (!existsSync(join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is missing: build the PWA first (npm test does)');
  state = mkdtempSync(join(tmpdir(), 'softphone-e2e-'));
  await applyMigrations(state);
  await seedIfEmpty(state);
  dev = await startWranglerDev({ port: await freePort(), persistTo: state, quiet: true, vars: { AUTH_SECRET: randomSecret() } });
  project.provide('appUrl', dev.url);
}

export async function teardown(): Promise<void> {
  await dev?.process.stop();
  if (state) rmSync(state, { recursive: true, force: true });
}
