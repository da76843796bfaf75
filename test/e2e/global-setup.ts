import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { randomSecret } from '../../scripts/lib/dev-vars';
import { type Edge, startEdge } from '../../scripts/lib/edge';
import type { EdgePorts } from '../../scripts/lib/edge-config';
import { freePort } from '../../scripts/lib/ports';
import { seedIfEmpty } from '../../scripts/lib/seed';
import { applyMigrations, type DevServer, ROOT, startWranglerDev } from '../../scripts/lib/wrangler';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the e2e run's wrangler dev serves the app and the API. */
    appUrl: string;
    /** The e2e run's media edge (its own ports, beside a developer's and the edge tests'). */
    e2eEdge: { wsUrl: string; sipDomain: string; gatewayToneHz: number; gatewayCtrl: number; udp: number; controlUrl: string };
  }
}

/** Ports of the e2e run's edge: not npm start's (5066…) nor the edge tests' (25066…). */
const E2E_EDGE_PORTS: EdgePorts = {
  ws: 35066,
  udp: 35080,
  tcp: 35067,
  rtpengineNg: 32225,
  rtpMin: 31000,
  rtpMax: 31199,
  gateway: 35090,
  gatewayCtrl: 35095,
  gatewayRtpMin: 31200,
  gatewayRtpMax: 31299,
};

let dev: DevServer | undefined;
let edge: Edge | undefined;
let control: Server | undefined;
let state: string | undefined;

/** One wrangler dev for the run, with its own fresh local state (never the developer's), seeded with the demo business. */
export async function setup(project: TestProject): Promise<void> {
  if (!existsSync(join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is missing: build the PWA first (npm test does)');
  state = mkdtempSync(join(tmpdir(), 'softphone-e2e-'));
  await applyMigrations(state);
  await seedIfEmpty(state);
  const secrets = { sipAuthSecret: randomSecret(), edgeApiSecret: randomSecret() };
  const wsUrl = `ws://127.0.0.1:${E2E_EDGE_PORTS.ws}`;
  try {
    dev = await startWranglerDev({
      port: await freePort(),
      persistTo: state,
      quiet: true,
      vars: {
        AUTH_SECRET: randomSecret(),
        SIP_AUTH_SECRET: secrets.sipAuthSecret,
        EDGE_API_SECRET: secrets.edgeApiSecret,
        EDGE_WS_URL: wsUrl,
      },
    });
    const edgeOptions = { workerUrl: dev.url, secrets, ports: E2E_EDGE_PORTS, workDir: join(state, 'edge'), gateway: true };
    edge = await startEdge(edgeOptions);
    // Tests run in other processes: this loopback endpoint lets them restart the edge (POST /restart-edge).
    control = await listenControl(async () => {
      await edge?.stop();
      edge = await startEdge({ ...edgeOptions, workDir: join(state as string, `edge-${Date.now()}`) });
    });
  } catch (err) {
    await teardown();
    throw err;
  }
  project.provide('appUrl', dev.url);
  project.provide('e2eEdge', {
    wsUrl,
    sipDomain: edge.sipDomain,
    gatewayToneHz: edge.gatewayToneHz,
    gatewayCtrl: E2E_EDGE_PORTS.gatewayCtrl,
    udp: E2E_EDGE_PORTS.udp,
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
  });
}

/** A loopback HTTP endpoint running `restart` on POST /restart-edge, answering once it is done. */
function listenControl(restart: () => Promise<void>): Promise<Server> {
  return new Promise((resolve) => {
    const server = createHttpServer((req, res) => {
      if (req.method !== 'POST' || req.url !== '/restart-edge') return void res.writeHead(404).end();
      restart().then(
        () => res.writeHead(204).end(),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export async function teardown(): Promise<void> {
  await new Promise<void>((resolve) => (control ? control.close(() => resolve()) : resolve()));
  await edge?.stop();
  await dev?.process.stop();
  // KEEP_E2E_STATE=1 keeps the run's D1 state and the edge's logs for debugging.
  if (state && !process.env.KEEP_E2E_STATE) rmSync(state, { recursive: true, force: true });
  else if (state) console.log(`e2e state kept in ${state}`);
}
