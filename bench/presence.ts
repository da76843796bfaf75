/**
 * `npm run bench:presence`: one business with 1,000 live sockets (the demo
 * user's devices plus seeded colleagues' devices) on a `wrangler dev` with its
 * own temporary state; the demo user toggles do-not-disturb through the API,
 * and each toggle is timed from the PUT until every socket has the change.
 *
 * Target (ENGINEERING.md §3): fanout_ms_p95 ≤ 250. Knobs (environment):
 * BENCH_SOCKETS (1000), BENCH_DEVICES_PER_USER (4), BENCH_TOGGLES (30).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomSecret } from '../scripts/lib/dev-vars';
import { freePort } from '../scripts/lib/ports';
import { stopAll } from '../scripts/lib/processes';
import { DEMO, seedIfEmpty } from '../scripts/lib/seed';
import { applyMigrations, startWranglerDev } from '../scripts/lib/wrangler';
import type { ServerMessage } from '../shared/live-protocol';
import { signInCookie } from '../test/support/sign-in';
import { percentile, round, writeResult } from './lib/results';
import { seedColleagues } from './presence-seed';
import { type BenchSocket, closeSockets, keepAlive, openSockets } from './presence-sockets';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const DEVICES_PER_USER = Number(process.env.BENCH_DEVICES_PER_USER ?? 4);
const TOGGLES = Number(process.env.BENCH_TOGGLES ?? 30);
/** Not measured: the first changes warm up the isolate, the D1 statements and the JIT on both sides. */
const WARMUP = 3;
const FANOUT_TIMEOUT_MS = 10_000;

/** The toggle in flight: which value every socket must see, and when each did. */
interface Round {
  on: boolean;
  arrivals: Map<number, number>;
  done: () => void;
}

async function main(): Promise<void> {
  const state = mkdtempSync(join(tmpdir(), 'softphone-bench-presence-'));
  try {
    console.log(`▸ preparing a business: ${SOCKETS} sockets, ${DEVICES_PER_USER} per user`);
    await applyMigrations(state);
    await seedIfEmpty(state);
    const colleagueSockets = SOCKETS - DEVICES_PER_USER;
    const colleagues = await seedColleagues(Math.ceil(colleagueSockets / DEVICES_PER_USER), state);
    const dev = await startWranglerDev({ port: await freePort(), persistTo: state, quiet: true, vars: { AUTH_SECRET: randomSecret() } });
    const appUrl = dev.url;

    const toggler = await signInCookie(appUrl, DEMO.user.email, DEMO.user.password);
    const cookies = [
      ...Array.from({ length: DEVICES_PER_USER }, () => toggler),
      ...Array.from({ length: colleagueSockets }, (_, i) => (colleagues[Math.floor(i / DEVICES_PER_USER)] as { cookie: string }).cookie),
    ];

    let round: Round | undefined;
    const onMessage = (socket: BenchSocket, message: ServerMessage, at: number) => {
      // Any cause: a hub that just woke reports the change as part of its resync.
      if (!round || message.type !== 'presence') return;
      if (message.user.userId !== DEMO.user.id || message.user.dnd !== round.on) return;
      if (round.arrivals.has(socket.index)) return;
      round.arrivals.set(socket.index, at);
      if (round.arrivals.size === SOCKETS) round.done();
    };

    console.log(`▸ opening ${SOCKETS} sockets to ${appUrl}/api/live`);
    const connectStarted = performance.now();
    const sockets = await openSockets(appUrl, cookies, onMessage);
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    const stopPings = keepAlive(sockets);
    // Let the connect storm's presence broadcasts drain before measuring.
    await new Promise((r) => setTimeout(r, 1000));

    const fanouts: number[] = [];
    const deliveries: number[] = [];
    const puts: number[] = [];
    let delivered = 0;
    console.log(`▸ toggling do-not-disturb ${WARMUP} + ${TOGGLES} times`);
    for (let i = 0; i < WARMUP + TOGGLES; i++) {
      const on = i % 2 === 0;
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      round = { on, arrivals: new Map(), done };
      const started = performance.now();
      const res = await fetch(`${appUrl}/api/me/dnd`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Cookie: toggler, Origin: appUrl },
        body: JSON.stringify({ on }),
      });
      if (res.status !== 200) throw new Error(`PUT /api/me/dnd answered ${res.status}: ${await res.text()}`);
      const answered = performance.now() - started;
      const timedOut = await Promise.race([
        finished.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), FANOUT_TIMEOUT_MS)),
      ]);
      if (timedOut) throw new Error(`toggle ${i}: only ${round.arrivals.size} of ${SOCKETS} sockets heard within ${FANOUT_TIMEOUT_MS} ms`);
      const arrivals = [...round.arrivals.values()].map((t) => t - started);
      if (i >= WARMUP) {
        fanouts.push(Math.max(...arrivals));
        deliveries.push(...arrivals);
        puts.push(answered);
        delivered += arrivals.length;
      }
      round = undefined;
      // Space the toggles like people do, so each is measured on its own.
      await new Promise((r) => setTimeout(r, 100));
    }

    stopPings();
    await closeSockets(sockets);
    await dev.process.stop();

    const busySeconds = fanouts.reduce((a, b) => a + b, 0) / 1000;
    writeResult('presence', {
      sockets: SOCKETS,
      toggles: TOGGLES,
      fanout_ms_p50: round2(percentile(fanouts, 50)),
      fanout_ms_p95: round2(percentile(fanouts, 95)),
      fanout_ms_max: round2(Math.max(...fanouts)),
      delivery_ms_p50: round2(percentile(deliveries, 50)),
      delivery_ms_p95: round2(percentile(deliveries, 95)),
      // The PUT's own answer (D1 write + telling the hub), part of every fan-out above.
      put_ms_p50: round2(percentile(puts, 50)),
      messages_per_s: Math.round(delivered / busySeconds),
      connect_all_s: round2(connectSeconds),
    });
    const p95 = percentile(fanouts, 95);
    console.log(p95 <= 250 ? `✓ fan-out p95 ${round2(p95)} ms ≤ 250 ms` : `✗ fan-out p95 ${round2(p95)} ms > 250 ms (target)`);
  } finally {
    await stopAll();
    rmSync(state, { recursive: true, force: true });
  }
}

const round2 = (value: number) => round(value, 2);

process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  await stopAll();
  process.exit(1);
});
