/**
 * `npm run bench:history`: call records at scale on a `wrangler dev` with its
 * own temporary state.
 *
 * - page_ms_p95: `GET /api/calls` (50 calls, contact lookups included) for a
 *   user with 1,000,000 records: first pages, deep keyset pages, the missed filter.
 * - ingest_events_per_s: signed deliveries of 500 events (start, ringing,
 *   answer, end) to `POST /api/edge/events`, one after another as the edge
 *   agent sends them, each rebuilding its calls' records.
 * - export_rows_per_s: the admin's streamed CSV export of every record (the
 *   whole year, 1,000,000 rows: one Worker invocation, which D1 allows 1,000
 *   queries), checked to the last row; export_peak_rss_mb: the most memory
 *   (VmRSS) the local workerd process held while it streamed (local D1 runs
 *   inside that process, so its SQLite cache is counted too).
 *
 * Knobs (environment): BENCH_RECORDS (1000000), BENCH_OPEN_CALLS (5000),
 * BENCH_PAGES (300), BENCH_EXPORT_DAYS (all: the year the records span).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomSecret } from '../scripts/lib/dev-vars';
import { freePort } from '../scripts/lib/ports';
import { DEMO, seedIfEmpty } from '../scripts/lib/seed';
import { applyMigrations, queryLocal, startWranglerDev } from '../scripts/lib/wrangler';
import { EDGE_SIGNATURE_HEADER, EDGE_TIMESTAMP_HEADER, type EdgeEvent, edgeSigningKey, signEdgeBody } from '../shared/calls-api';
import { signInCookie } from '../test/support/sign-in';
import { callIdAt, generateRecords, type Layout, recordAt } from './history-data';
import { percentile, round, writeResult } from './lib/results';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const OPEN = Number(process.env.BENCH_OPEN_CALLS ?? 5000);
const PAGES = Number(process.env.BENCH_PAGES ?? 300);
const EXPORT_DAYS = process.env.BENCH_EXPORT_DAYS ? Number(process.env.BENCH_EXPORT_DAYS) : undefined;
const CHUNK = 100_000;
const BATCH = 500;
/** A year of calls, newest a minute ago. */
const layout: Layout = { count: RECORDS, open: OPEN, t0: Date.now() - 60_000, stepMs: Math.floor((365 * 86_400_000) / RECORDS) };

/** Times one request to its last byte. */
async function timed(url: string, cookie: string): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { Cookie: cookie } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 200)}`);
  return { ms: performance.now() - started, body };
}

type PageKind = 'first' | 'deep' | 'missed';

/** Page requests of each kind: 2 first pages, 2 deep keyset pages, 1 deep missed page in 5. */
function pageRequests(appUrl: string, n: number): Array<{ kind: PageKind; url: string }> {
  return Array.from({ length: n }, (_, k) => {
    const slot = k % 5;
    if (slot < 2) return { kind: 'first', url: `${appUrl}/api/calls?limit=50` };
    const at = recordAt(layout, Math.floor(Math.random() * layout.count));
    const cursor = encodeURIComponent(`${at.routedAt}.${at.id}`);
    return slot === 4
      ? { kind: 'missed', url: `${appUrl}/api/calls?limit=50&filter=missed&cursor=${cursor}` }
      : { kind: 'deep', url: `${appUrl}/api/calls?limit=50&cursor=${cursor}` };
  });
}

async function pageLatencies(appUrl: string, cookie: string): Promise<Record<PageKind | 'all', number[]>> {
  for (const { url } of pageRequests(appUrl, 30)) await timed(url, cookie); // warm-up: isolate, statements, page cache
  const samples: Record<PageKind | 'all', number[]> = { all: [], first: [], deep: [], missed: [] };
  for (const { kind, url } of pageRequests(appUrl, PAGES)) {
    const { ms, body } = await timed(url, cookie);
    if (!body.includes('"calls"')) throw new Error(`unexpected page: ${body.slice(0, 200)}`);
    samples.all.push(ms);
    samples[kind].push(ms);
  }
  return samples;
}

/** start, ringing, answer, end for each open call: answered by the callee's device, 30 s long. */
function openCallEvents(): EdgeEvent[] {
  const events: EdgeEvent[] = [];
  for (let i = 0; i < layout.open; i++) {
    const callId = callIdAt(i);
    const t = recordAt(layout, i).routedAt;
    const user = i % 3 === 1 ? DEMO.user.id : i % 3 === 2 ? DEMO.admin.id : undefined;
    events.push(
      { id: `${callId}#start`, type: 'start', callId, at: t },
      { id: `${callId}#ringing`, type: 'ringing', callId, at: t + 300, code: 180 },
      {
        id: `${callId}#answer`,
        type: 'answer',
        callId,
        at: t + 3000,
        code: 200,
        ...(user ? { user, contact: `<sip:dev${i}@x.invalid>` } : {}),
      },
      { id: `${callId}#end`, type: 'end', callId, at: t + 33_000, by: 'caller' },
    );
  }
  return events;
}

async function ingest(appUrl: string, secret: string): Promise<{ events: number; seconds: number }> {
  const key = await edgeSigningKey(secret, 'sign');
  const events = openCallEvents();
  const started = performance.now();
  for (let i = 0; i < events.length; i += BATCH) {
    const body = JSON.stringify({ events: events.slice(i, i + BATCH) });
    const timestamp = String(Date.now());
    const res = await fetch(`${appUrl}/api/edge/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        [EDGE_TIMESTAMP_HEADER]: timestamp,
        [EDGE_SIGNATURE_HEADER]: await signEdgeBody(key, timestamp, body),
      },
      body,
    });
    const result = (await res.json()) as { accepted?: string[] };
    if (res.status !== 200 || result.accepted?.length !== Math.min(BATCH, events.length - i)) {
      throw new Error(`delivery refused: ${res.status} ${JSON.stringify(result).slice(0, 300)}`);
    }
  }
  return { events: events.length, seconds: (performance.now() - started) / 1000 };
}

/** The workerd processes of a `wrangler dev` (in its process group), read from /proc. */
function workerdPids(group: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
        return comm === 'workerd' && pgrp === group ? [Number(d)] : [];
      } catch {
        return []; // gone meanwhile
      }
    });
}

/** Resident memory of these processes together, in MB (VmRSS). */
function rssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

async function exportRange(
  appUrl: string,
  cookie: string,
  workerd: number[],
): Promise<{ rows: number; seconds: number; bytes: number; baselineRssMb: number; peakRssMb: number }> {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const to = day(layout.t0);
  const oldest = recordAt(layout, layout.count - 1).routedAt;
  const from = day(EXPORT_DAYS ? layout.t0 - (EXPORT_DAYS - 1) * 86_400_000 : oldest);
  const baselineRssMb = rssMb(workerd);
  let peakRssMb = baselineRssMb;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, rssMb(workerd));
  }, 100);
  try {
    const started = performance.now();
    const res = await fetch(`${appUrl}/api/admin/calls/export.csv?from=${from}&to=${to}`, { headers: { Cookie: cookie } });
    if (res.status !== 200 || !res.body) throw new Error(`export: ${res.status} ${await res.text()}`);
    let lines = 0;
    let bytes = 0;
    const reader = res.body.getReader();
    for (;;) {
      // A failure part-way errors the body (the Worker aborts the response): it throws here, never counts short.
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (const byte of value) if (byte === 10) lines++;
    }
    return { rows: lines - 1, seconds: (performance.now() - started) / 1000, bytes, baselineRssMb, peakRssMb };
  } finally {
    clearInterval(sampler);
  }
}

async function main(): Promise<void> {
  const state = mkdtempSync(join(tmpdir(), 'softphone-bench-history-'));
  const dev = { stop: async () => {} };
  try {
    console.log(`▸ preparing ${RECORDS.toLocaleString('en')} call records in ${state}`);
    await applyMigrations(state);
    await seedIfEmpty(state);
    const genStarted = performance.now();
    await generateRecords(layout, state, CHUNK, (done) => console.log(`  ${done.toLocaleString('en')} records`));
    const generateSeconds = (performance.now() - genStarted) / 1000;
    const [count] = await queryLocal<{ n: number }>('SELECT COUNT(*) AS n FROM calls', state);
    console.log(`  ${count?.n.toLocaleString('en')} records in ${round(generateSeconds, 1)} s`);

    const secret = randomSecret();
    const server = await startWranglerDev({
      port: await freePort(),
      persistTo: state,
      quiet: true,
      vars: { AUTH_SECRET: randomSecret(), EDGE_API_SECRET: secret, SIP_AUTH_SECRET: randomSecret() },
    });
    dev.stop = () => server.process.stop();
    const userCookie = await signInCookie(server.url, DEMO.user.email, DEMO.user.password);
    const adminCookie = await signInCookie(server.url, DEMO.admin.email, DEMO.admin.password);

    console.log(`▸ ${PAGES} history pages (first, deep keyset, missed)`);
    const pages = await pageLatencies(server.url, userCookie);

    console.log(`▸ ingesting ${(layout.open * 4).toLocaleString('en')} events in deliveries of ${BATCH}`);
    const ingested = await ingest(server.url, secret);
    const [done] = await queryLocal<{ n: number }>(
      `SELECT COUNT(*) AS n FROM calls WHERE call_id = '${callIdAt(0)}' AND outcome = 'answered' AND ended_at IS NOT NULL`,
      state,
    );
    if (done?.n !== 1) throw new Error('the ingested events did not finish their records');

    console.log(`▸ exporting ${EXPORT_DAYS ? `${EXPORT_DAYS} days` : 'every record'} as CSV`);
    const workerd = workerdPids(server.process.child.pid as number);
    if (workerd.length === 0) console.log('  (no workerd process found: memory not measured)');
    const exported = await exportRange(server.url, adminCookie, workerd);
    if (!EXPORT_DAYS && exported.rows !== RECORDS) throw new Error(`the export had ${exported.rows} rows, not ${RECORDS}`);
    console.log(
      `  ${exported.rows.toLocaleString('en')} rows, ${round(exported.bytes / 1e6, 1)} MB in ${round(exported.seconds, 1)} s; workerd ${round(exported.baselineRssMb, 0)} → peak ${round(exported.peakRssMb, 0)} MB`,
    );

    writeResult('history', {
      records: RECORDS,
      page_ms_p50: round(percentile(pages.all, 50)),
      page_ms_p95: round(percentile(pages.all, 95)),
      page_first_ms_p95: round(percentile(pages.first, 95)),
      page_deep_ms_p95: round(percentile(pages.deep, 95)),
      page_missed_ms_p95: round(percentile(pages.missed, 95)),
      ingest_events_per_s: round(ingested.events / ingested.seconds, 0),
      ingest_events: ingested.events,
      export_rows: exported.rows,
      export_rows_per_s: round(exported.rows / exported.seconds, 0),
      export_mb: round(exported.bytes / 1e6, 1),
      ...(workerd.length > 0
        ? { export_baseline_rss_mb: round(exported.baselineRssMb, 0), export_peak_rss_mb: round(exported.peakRssMb, 0) }
        : {}),
      generate_records_s: round(generateSeconds, 1),
    });
  } finally {
    await dev.stop();
    if (!process.env.KEEP_BENCH_STATE) rmSync(state, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
