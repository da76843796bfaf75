/**
 * `npm run bench:edge`: the media edge against the Worker with its own
 * temporary state.
 *
 * - route_ms_p50/p95: Kamailio → Worker → reply for each new call, as
 *   Kamailio measures it (its log line "route decision (200, N us)"), with
 *   the Worker in workerd answering directly as in production
 *   (scripts/lib/worker-direct.ts); route_wrangler_dev_ms_p50/p95: the same
 *   through `wrangler dev`, whose reload proxy adds a process hop; each over
 *   BENCH_EDGE_CALLS calls between two registered users (the callee's
 *   device declines each at once: 603, which never diverts to voicemail,
 *   where busy would). The decision includes the callee's voicemail and the
 *   caller's recording and writing the call's record; the edge agent
 *   delivers the call events alongside.
 * - register_per_s: SIPp REGISTERs with digest authentication
 *   (auth_ephemeral), BENCH_REGISTERS of them, at most 50 in flight.
 *
 * Target (ENGINEERING.md §3): route_ms_p95 ≤ 20 on loopback.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomSecret } from '../scripts/lib/dev-vars';
import { type Edge, startEdge } from '../scripts/lib/edge';
import type { EdgePorts, EdgeSecrets } from '../scripts/lib/edge-config';
import { freePort } from '../scripts/lib/ports';
import { DEMO, seedIfEmpty } from '../scripts/lib/seed';
import { startWorkerDirect } from '../scripts/lib/worker-direct';
import { applyMigrations, ROOT, startWranglerDev } from '../scripts/lib/wrangler';
import { mintCredentials } from '../test/edge/support/credentials';
import { udpTransport, wsTransport } from '../test/edge/support/sip/transport';
import { SipUser } from '../test/edge/support/sip/user-agent';
import { percentile, round, writeResult } from './lib/results';

const CALLS = Number(process.env.BENCH_EDGE_CALLS ?? 200);
const REGISTERS = Number(process.env.BENCH_REGISTERS ?? 2000);
/** Not measured: the first decisions warm up the isolate, the statements and Kamailio's connection. */
const WARMUP = 10;
const PORTS: EdgePorts = {
  ws: 55066,
  udp: 55080,
  tcp: 55067,
  rtpengineNg: 52225,
  rtpMin: 51000,
  rtpMax: 51199,
  gateway: 55090,
  gatewayCtrl: 55095,
  gatewayRtpMin: 51200,
  gatewayRtpMax: 51299,
};

/** Calls from the admin to the user; returns the route round trips (ms) Kamailio logged for them. */
async function routeRoundTrips(edge: Edge, sipAuthSecret: string): Promise<number[]> {
  const user = new SipUser({
    transport: await wsTransport(edge.wsUrl),
    user: DEMO.user.id,
    domain: edge.sipDomain,
    credentials: mintCredentials(sipAuthSecret, DEMO.user.id),
  });
  const caller = new SipUser({
    transport: await udpTransport(edge.ports.udp),
    user: DEMO.admin.id,
    domain: edge.sipDomain,
    credentials: mintCredentials(sipAuthSecret, DEMO.admin.id),
  });
  if ((await user.register()).status !== 200) throw new Error('the callee could not register');
  const callIds: string[] = [];
  for (let i = 0; i < WARMUP + CALLS; i++) {
    const call = caller.call(DEMO.user.id);
    (await user.nextInvite()).reject(603, 'Decline');
    if ((await call.status()) !== 603) throw new Error(`call ${i} did not reach the callee`);
    if (i >= WARMUP) callIds.push(call.callId);
  }
  await user.close();
  await caller.close();
  // Kamailio's log prefix carries the Call-ID ({$mt $ci}); its line holds the microseconds.
  const log = readFileSync(join(edge.logDir, 'kamailio.log'), 'utf8').split('\n');
  const wanted = new Set(callIds);
  const samples: number[] = [];
  for (const line of log) {
    const m = /\{\d+ ([^}]+)\} (?:<script>: )?route decision \(200, (\d+) us\)/.exec(line);
    if (m && wanted.has(m[1] as string)) samples.push(Number(m[2]) / 1000);
  }
  if (samples.length !== CALLS) throw new Error(`found ${samples.length} route decisions in the log, expected ${CALLS}`);
  return samples;
}

/** SIPp registering one user over and over, at most 50 at a time; registrations per second. */
function registrations(edge: Edge, sipAuthSecret: string): Promise<number> {
  const { username, password } = mintCredentials(sipAuthSecret, DEMO.admin.id);
  const dir = mkdtempSync(join(tmpdir(), 'softphone-bench-sipp-'));
  const args = [
    `127.0.0.1:${edge.ports.udp}`,
    '-sf',
    join(ROOT, 'test', 'edge', 'sipp', 'register.xml'),
    '-m',
    String(REGISTERS),
    '-r',
    '5000',
    '-l',
    '50',
    '-t',
    'u1',
    '-i',
    '127.0.0.1',
    '-p',
    String(PORTS.udp + 300),
    '-nostdin',
    '-timeout',
    '120s',
    '-key',
    'user',
    DEMO.admin.id,
    '-key',
    'domain',
    edge.sipDomain,
    '-key',
    'expires',
    '600',
    '-au',
    username,
    '-ap',
    password,
  ];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('sipp', args, { cwd: dir, stdio: 'ignore' });
    child.once('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`SIPp exited ${code}: some registrations failed`));
      else resolve(REGISTERS / seconds);
    });
  });
}

/** The same ports shifted, for the second edge (the first one's sockets may still be in TIME_WAIT). */
function shifted(ports: EdgePorts, by: number): EdgePorts {
  return Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, v + by])) as unknown as EdgePorts;
}

/** Starts an edge in front of `workerUrl`, runs `work` with it, and stops it. */
async function withEdge<T>(
  workerUrl: string,
  ports: EdgePorts,
  workDir: string,
  secrets: EdgeSecrets,
  work: (edge: Edge) => Promise<T>,
): Promise<T> {
  const edge = await startEdge({ workerUrl, secrets, ports, workDir, gateway: false });
  try {
    return await work(edge);
  } finally {
    await edge.stop();
  }
}

async function main(): Promise<void> {
  const state = mkdtempSync(join(tmpdir(), 'softphone-bench-edge-'));
  try {
    await applyMigrations(state);
    await seedIfEmpty(state);
    const secrets: EdgeSecrets = { sipAuthSecret: randomSecret(), edgeApiSecret: randomSecret() };
    const vars = (ports: EdgePorts) => ({
      AUTH_SECRET: randomSecret(),
      SIP_AUTH_SECRET: secrets.sipAuthSecret,
      EDGE_API_SECRET: secrets.edgeApiSecret,
      EDGE_WS_URL: `ws://127.0.0.1:${ports.ws}`,
    });

    // The Worker as production runs it (scripts/lib/worker-direct.ts): the figures that count.
    const worker = await startWorkerDirect({ port: await freePort(), persistTo: state, vars: vars(PORTS) });
    const [routes, registerPerS] = await withEdge(worker.url, PORTS, join(state, 'edge'), secrets, async (edge) => {
      console.log(`▸ ${CALLS} calls: Kamailio → Worker (workerd, direct) → decision`);
      const routes = await routeRoundTrips(edge, secrets.sipAuthSecret);
      console.log(`▸ ${REGISTERS} REGISTERs with SIPp`);
      return [routes, await registrations(edge, secrets.sipAuthSecret)] as const;
    }).finally(() => worker.stop());

    // The same through `wrangler dev` (npm start's local runtime), whose reload proxy adds a hop.
    const devPorts = shifted(PORTS, 100);
    const dev = await startWranglerDev({ port: await freePort(), persistTo: state, quiet: true, vars: vars(devPorts) });
    const devRoutes = await withEdge(dev.url, devPorts, join(state, 'edge-dev'), secrets, (edge) => {
      console.log(`▸ ${CALLS} calls: Kamailio → wrangler dev → Worker → decision`);
      return routeRoundTrips(edge, secrets.sipAuthSecret);
    }).finally(() => dev.process.stop());

    writeResult('edge', {
      route_ms_p50: round(percentile(routes, 50)),
      route_ms_p95: round(percentile(routes, 95)),
      route_ms_max: round(Math.max(...routes)),
      routes: routes.length,
      route_wrangler_dev_ms_p50: round(percentile(devRoutes, 50)),
      route_wrangler_dev_ms_p95: round(percentile(devRoutes, 95)),
      register_per_s: round(registerPerS, 0),
      registers: REGISTERS,
    });
  } finally {
    if (!process.env.KEEP_BENCH_STATE) rmSync(state, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
