import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { randomSecret } from '../../scripts/lib/dev-vars';
import { type Edge, edgeAvailable, startEdge } from '../../scripts/lib/edge';
import type { EdgePorts } from '../../scripts/lib/edge-config';
import { freePort } from '../../scripts/lib/ports';
import { applyMigrations, type DevServer, startWranglerDev } from '../../scripts/lib/wrangler';
import { seedEdgeFixtures } from './support/fixtures';
import { type RouteTap, startRouteTap } from './support/route-tap';

/** What the edge tests get from this setup. */
export interface EdgeTestContext {
  appUrl: string;
  tapControlUrl: string;
  sipAuthSecret: string;
  /** What the Worker and the edge agent sign call events with (the agent tests post and deliver their own). */
  edgeApiSecret: string;
  ports: EdgePorts;
  sipDomain: string;
  ctlSocket: string;
  workDir: string;
  gatewayToneHz: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    edge: EdgeTestContext;
  }
}

/** Ports of their own, so the tests never meet a running `npm start` (5066, 5080, …). */
const TEST_PORTS: EdgePorts = {
  ws: 25066,
  udp: 25080,
  tcp: 25067,
  rtpengineNg: 22223,
  rtpMin: 21000,
  rtpMax: 21199,
  gateway: 25090,
  gatewayCtrl: 25095,
  gatewayRtpMin: 21200,
  gatewayRtpMax: 21299,
};

let dev: DevServer | undefined;
let tap: RouteTap | undefined;
let edge: Edge | undefined;
let state: string | undefined;

/**
 * One wrangler dev (fresh state, migrated, seeded), a route tap in front of
 * it, and the media edge pointed at the tap, for the whole run.
 */
export async function setup(project: TestProject): Promise<void> {
  const available = edgeAvailable();
  if (!available.ok || !available.gateway) {
    throw new Error(`The edge tests need the media edge installed: apt-get install ${available.packages.join(' ')}`);
  }
  state = mkdtempSync(join(tmpdir(), 'softphone-edge-test-'));
  const secrets = { sipAuthSecret: randomSecret(), edgeApiSecret: randomSecret() };
  try {
    await applyMigrations(state);
    await seedEdgeFixtures(state);
    dev = await startWranglerDev({
      port: await freePort(),
      persistTo: state,
      quiet: true,
      vars: {
        AUTH_SECRET: randomSecret(),
        SIP_AUTH_SECRET: secrets.sipAuthSecret,
        EDGE_API_SECRET: secrets.edgeApiSecret,
        EDGE_WS_URL: `ws://127.0.0.1:${TEST_PORTS.ws}`,
      },
    });
    tap = await startRouteTap(dev.url);
    edge = await startEdge({ workerUrl: tap.url, secrets, ports: TEST_PORTS, workDir: join(state, 'edge'), gateway: true });
  } catch (err) {
    await teardown();
    throw err;
  }
  project.provide('edge', {
    appUrl: dev.url,
    tapControlUrl: tap.controlUrl,
    sipAuthSecret: secrets.sipAuthSecret,
    edgeApiSecret: secrets.edgeApiSecret,
    ports: edge.ports,
    sipDomain: edge.sipDomain,
    ctlSocket: edge.ctlSocket,
    workDir: edge.workDir,
    gatewayToneHz: edge.gatewayToneHz,
  });
}

export async function teardown(): Promise<void> {
  await edge?.stop();
  await tap?.stop();
  await dev?.process.stop();
  if (state && !process.env.KEEP_EDGE_TEST_STATE) rmSync(state, { recursive: true, force: true });
}
