/**
 * `npm start`: build the PWA, migrate and seed the local D1, run wrangler dev
 * on 127.0.0.1:8787, then the media edge (Kamailio, rtpengine and a simulated
 * phone network) pointed at it. Ctrl-C or SIGTERM stops everything it
 * started. Data lives in .wrangler/state between runs.
 */
import { LOCAL_APP_ORIGIN } from '../shared/config';
import { buildPwa } from './lib/build';
import { ensureDevVars } from './lib/dev-vars';
import type { Edge } from './lib/edge';
import { startLocalEdge } from './lib/edge-start';
import { stopAll } from './lib/processes';
import { DEMO, seedIfEmpty } from './lib/seed';
import { applyMigrations, startWranglerDev } from './lib/wrangler';

let stopping = false;
let edge: Edge | undefined;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nStopping…');
    // The edge first, gently (Kamailio's main process, then its group).
    await edge?.stop();
    await stopAll();
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

function step(label: string) {
  console.log(`▸ ${label}`);
}

try {
  step('Building the PWA');
  buildPwa();

  step('Local secrets (.dev.vars)');
  ensureDevVars();

  step('Applying D1 migrations (local)');
  await applyMigrations();

  step('Seeding the demo business if the database is empty');
  const seeded = await seedIfEmpty();

  step('Starting wrangler dev');
  const port = Number(new URL(LOCAL_APP_ORIGIN).port);
  const dev = await startWranglerDev({ port });

  step('Starting the media edge');
  edge = await startLocalEdge(dev.url);

  console.log(`
Softphone is running at ${dev.url}
${seeded ? 'A demo business was created.' : 'Using the existing local data (.wrangler/state).'}
  admin: ${DEMO.admin.email} / ${DEMO.admin.password}   (mobile ${DEMO.admin.mobile})
  user:  ${DEMO.user.email} / ${DEMO.user.password}   (mobile ${DEMO.user.mobile})
Press Ctrl-C to stop.`);

  const code = await dev.process.exited;
  if (!stopping) {
    console.error(`wrangler dev exited (${code}); stopping.`);
    await shutdown(code ?? 1);
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  await shutdown(1);
}
