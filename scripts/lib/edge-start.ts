/**
 * The media edge for `npm start`: installs the Debian packages when it can
 * (root), otherwise says exactly what to install; the app keeps running
 * without calling if the edge cannot start.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readDevVars } from './dev-vars';
import { type Edge, startEdge } from './edge';
import { SIMULATED_NUMBERS } from './edge-config';
import { edgeAvailable } from './edge-requirements';
import { ROOT } from './wrangler';

function aptInstall(packages: string[]): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env }).status === 0;
  if (install()) return true;
  // Stale package lists are the usual reason: refresh once and retry.
  return spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env }).status === 0 && install();
}

/** Starts the edge against the local Worker, or explains why not; never throws. */
export async function startLocalEdge(workerUrl: string): Promise<Edge | undefined> {
  let available = edgeAvailable();
  if (available.packages.length > 0 && process.getuid?.() === 0) {
    console.log(`  installing ${available.packages.join(' ')} (apt-get)…`);
    aptInstall(available.packages);
    available = edgeAvailable();
  }
  if (!available.ok) {
    console.log(`  The media edge is not installed, so calls will not connect. Install it with:
    sudo apt-get install -y ${available.packages.join(' ')}
  then run npm start again. The app itself keeps running.`);
    return undefined;
  }
  const vars = readDevVars();
  const sipAuthSecret = vars.SIP_AUTH_SECRET;
  const edgeApiSecret = vars.EDGE_API_SECRET;
  if (!sipAuthSecret || !edgeApiSecret) {
    console.log('  .dev.vars lacks SIP_AUTH_SECRET or EDGE_API_SECRET: the media edge was not started.');
    return undefined;
  }
  try {
    const edge = await startEdge({
      workerUrl,
      secrets: { sipAuthSecret, edgeApiSecret },
      // Inside .wrangler/ (git-ignored), next to the local data.
      workDir: join(ROOT, '.wrangler', 'edge'),
      gateway: available.gateway,
    });
    console.log(`  SIP over WebSocket at ${edge.wsUrl} (domain ${edge.sipDomain}); logs in ${edge.logDir}`);
    console.log(`  Voicemail service registered (http://127.0.0.1:${edge.voicemailPort}/health).`);
    if (edge.gateway) {
      console.log(
        `  Simulated phone network on udp 127.0.0.1:${edge.ports.gateway}: its numbers are ${SIMULATED_NUMBERS[0]} to ${SIMULATED_NUMBERS.at(-1)} (0161 496 0000–0009).`,
      );
    } else {
      console.log('  No simulated phone network (apt-get install baresip-core for one): external numbers will not answer.');
    }
    return edge;
  } catch (err) {
    console.log(
      `  The media edge did not start: ${err instanceof Error ? err.message : String(err)}\n  The app keeps running without calling.`,
    );
    return undefined;
  }
}
