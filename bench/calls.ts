/**
 * `npm run bench:calls`: the phone in Chromium against wrangler dev and the
 * real edge on loopback. Measures app open → registered (cold: a first
 * visit in a fresh browser profile; warm: the same profile opening the app
 * again, the service worker serving the shell), and click → established for
 * calls browser → browser (the callee answers the instant it rings) and
 * browser → phone network (baresip auto-answers). Timings are taken inside
 * the page (performance.now at the click, a MutationObserver on the call's
 * state), so Playwright's polling adds nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildPwa } from '../scripts/lib/build';
import { randomSecret } from '../scripts/lib/dev-vars';
import { type Edge, startEdge } from '../scripts/lib/edge';
import type { EdgePorts } from '../scripts/lib/edge-config';
import { DEMO, seedIfEmpty } from '../scripts/lib/seed';
import { applyMigrations, type DevServer, startWranglerDev } from '../scripts/lib/wrangler';
import { launchChromium, launchProfile } from '../test/support/chromium';
import { percentile, round, writeResult } from './lib/results';

const CALLS = Number(process.env.BENCH_CALLS ?? 50);
/** First visits (cold opens), each in its own profile. Diagnostic override only: the recorded figures use the default 10. */
const OPENS = Number(process.env.BENCH_OPENS ?? 10);
/** Warm opens after each first visit: a person reopens the app many times for each first visit (30 in all). */
const WARM_PER_PROFILE = Number(process.env.BENCH_WARM_PER_PROFILE ?? 3);
const PORTS: EdgePorts = {
  ws: 45066,
  udp: 45080,
  tcp: 45067,
  rtpengineNg: 42225,
  rtpMin: 41000,
  rtpMax: 41199,
  gateway: 45090,
  gatewayCtrl: 45095,
  gatewayRtpMin: 41200,
  gatewayRtpMax: 41299,
};

/** Installed before the app loads: records when the line first says ready, and answers calls the moment they ring when asked to. */
const PAGE_PROBE = () => {
  const w = window as unknown as { __readyAt?: number; __autoAnswer?: boolean };
  new MutationObserver(() => {
    if (w.__readyAt === undefined && document.querySelector('.line-status[data-state="ready"]')) w.__readyAt = performance.now();
    if (w.__autoAnswer) {
      const answer = Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Answer');
      answer?.click();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
};

/**
 * With BENCH_TRACE=1: timestamps (absolute, performance.timeOrigin + now, so
 * two pages compare) of what a call and a registration wait on: fetches,
 * getUserMedia, peer-connection steps, ICE gathering, and each SIP message
 * in and out of the WebSocket. Diagnostic only; the figures above do not use it.
 */
const TRACE_PROBE = () => {
  const w = window as unknown as { __trace: Array<[number, string]> };
  w.__trace = [];
  const at = () => performance.timeOrigin + performance.now();
  const log = (what: string) => w.__trace.push([at(), what]);
  const wrap = <T extends object>(proto: T, name: keyof T & string, label: string = name) => {
    const original = proto[name] as unknown as (...args: unknown[]) => unknown;
    (proto as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
      log(`${label}>`);
      const result = original.apply(this, args);
      if (result instanceof Promise)
        void result.then(
          () => log(`${label}<`),
          () => log(`${label}!`),
        );
      return result;
    };
  };
  const { fetch } = window;
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    log(`fetch> ${url}`);
    return fetch(input, init).then((r) => {
      log(`fetch< ${url}`);
      return r;
    });
  };
  wrap(MediaDevices.prototype, 'getUserMedia', 'gum');
  wrap(RTCPeerConnection.prototype, 'createOffer');
  wrap(RTCPeerConnection.prototype, 'createAnswer');
  wrap(RTCPeerConnection.prototype, 'setLocalDescription', 'setLocal');
  wrap(RTCPeerConnection.prototype, 'setRemoteDescription', 'setRemote');
  const PC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends PC {
    constructor(config?: RTCConfiguration) {
      log('pc new');
      super(config);
      let n = 0;
      this.addEventListener('icecandidate', (e) =>
        log(e.candidate ? `cand ${n++} ${e.candidate.type}/${e.candidate.protocol}` : 'cand end'),
      );
      this.addEventListener('icegatheringstatechange', () => log(`gathering ${this.iceGatheringState}`));
    }
  } as typeof RTCPeerConnection;
  const WS = window.WebSocket;
  const first = (data: unknown) => (typeof data === 'string' ? data.slice(0, data.indexOf('\r\n')) : 'binary');
  window.WebSocket = class extends WS {
    constructor(url: string | URL, protocols?: string | string[]) {
      log(`ws new ${url}`);
      super(url, protocols);
      this.addEventListener('open', () => log('ws open'));
      this.addEventListener('message', (e) => log(`ws< ${first(e.data)}`));
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      log(`ws> ${first(data)}`);
      super.send(data);
    }
  } as typeof WebSocket;
  document.addEventListener('DOMContentLoaded', () => log('dcl'));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__trace.push([performance.timeOrigin + e.startTime, `${e.entryType} ${e.name}`]);
  }).observe({ entryTypes: ['paint', 'mark'] });
};
const TRACE = process.env.BENCH_TRACE === '1';
type Trace = Array<[number, string]>;
const readTrace = (page: Page): Promise<Trace> => page.evaluate(() => (window as unknown as { __trace?: Trace }).__trace?.splice(0) ?? []);
function printTrace(title: string, trace: Trace, origin: number): void {
  console.log(`-- ${title}`);
  for (const [t, what] of trace) console.log(`${(t - origin).toFixed(1).padStart(8)}  ${what}`);
}

async function openApp(context: BrowserContext, url: string): Promise<{ page: Page; readyMs: number }> {
  const page = await context.newPage();
  await page.goto(url);
  try {
    await page.waitForFunction(() => (window as unknown as { __readyAt?: number }).__readyAt !== undefined, undefined, { timeout: 20_000 });
  } catch (err) {
    const status = await page
      .locator('.line-status')
      .textContent()
      .catch(() => null);
    throw new Error(`the line never became ready (it says: ${status}; page ${page.url()})`, { cause: err });
  }
  const readyMs = await page.evaluate(() => (window as unknown as { __readyAt: number }).__readyAt);
  if (TRACE) {
    const origin = await page.evaluate(() => performance.timeOrigin);
    printTrace(`open ${readyMs.toFixed(1)} ms`, await readTrace(page), origin);
  }
  return { page, readyMs };
}

/** Clicks Call and resolves with the ms until the call is established, then hangs up and waits for the panel to go. */
async function timedCall(page: Page, number: string, other?: Page, label = ''): Promise<number> {
  await page.getByLabel('Number to call').fill(number);
  if (TRACE) {
    await readTrace(page);
    if (other) await readTrace(other);
  }
  const [ms, clickedAt] = await page.evaluate(
    () =>
      new Promise<[number, number]>((resolve, reject) => {
        const button = Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Call');
        if (!button) return reject(new Error('no Call button'));
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
          if (document.querySelector('.in-call[data-call-state="established"]')) {
            observer.disconnect();
            resolve([performance.now() - t0, performance.timeOrigin + t0]);
          }
        });
        observer.observe(document, { subtree: true, childList: true, attributes: true });
        setTimeout(() => reject(new Error('not established in 15 s')), 15_000);
        button.click();
      }),
  );
  await page.getByRole('button', { name: 'Hang up' }).click();
  await page.locator('.call-screen').waitFor({ state: 'detached' });
  if (TRACE && label) {
    const trace = [...(await readTrace(page)).map(([t, w]): [number, string] => [t, `caller ${w}`])];
    if (other) trace.push(...(await readTrace(other)).map(([t, w]): [number, string] => [t, `callee ${w}`]));
    trace.sort((a, b) => a[0] - b[0]);
    printTrace(`${label}: ${ms.toFixed(1)} ms`, trace, clickedAt);
  }
  return ms;
}

console.log('▸ building the PWA');
buildPwa();
const state = mkdtempSync(join(tmpdir(), 'softphone-bench-calls-'));
let dev: DevServer | undefined;
let edge: Edge | undefined;
const browser = await launchChromium();
try {
  await applyMigrations(state);
  await seedIfEmpty(state);
  const secrets = { sipAuthSecret: randomSecret(), edgeApiSecret: randomSecret() };
  dev = await startWranglerDev({
    port: 48787,
    persistTo: state,
    quiet: true,
    vars: {
      AUTH_SECRET: randomSecret(),
      SIP_AUTH_SECRET: secrets.sipAuthSecret,
      EDGE_API_SECRET: secrets.edgeApiSecret,
      EDGE_WS_URL: `ws://127.0.0.1:${PORTS.ws}`,
    },
  });
  edge = await startEdge({ workerUrl: dev.url, secrets, ports: PORTS, workDir: join(state, 'edge'), gateway: true });

  /**
   * A signed-in browser context. The opens use a real profile each (a person's
   * browser, where Chromium keeps the compiled code of the shell's scripts
   * with the service worker's cache); the calls share the one browser's
   * incognito-like contexts, where it keeps none (measured: a warm open p50 of
   * 190 ms there, 145 ms in a profile).
   */
  const contextFor = async (email: string, password: string, profile = false) => {
    const context = profile ? await launchProfile() : await browser.newContext();
    await context.addInitScript(PAGE_PROBE);
    // tsx names functions with an `__name` helper the page does not have.
    if (TRACE) await context.addInitScript({ content: `var __name = (f) => f; (${TRACE_PROBE.toString()})();` });
    const res = await context.request.post(`${dev?.url}/api/auth/signin`, {
      data: { email, password },
      headers: { Origin: dev?.url ?? '' },
    });
    if (res.status() !== 200) throw new Error(`sign-in failed: ${res.status()}`);
    return context;
  };

  // Registration: cold (first visit, nothing cached) then warm (the service worker serves the shell):
  // 10 profiles (BENCH_OPENS), each with one cold open and three warm ones.
  const cold: number[] = [];
  const warm: number[] = [];
  /** The first warm open of each profile, right after its first visit. */
  const warmFirst: number[] = [];
  for (let i = 0; i < OPENS; i++) {
    const context = await contextFor(DEMO.admin.email, DEMO.admin.password, true);
    const first = await openApp(context, dev.url);
    cold.push(first.readyMs);
    await first.page.evaluate(() => navigator.serviceWorker.ready);
    await first.page.close();
    for (let k = 0; k < WARM_PER_PROFILE; k++) {
      const again = await openApp(context, dev.url);
      warm.push(again.readyMs);
      if (k === 0) warmFirst.push(again.readyMs);
      await again.page.close();
    }
    await context.close();
  }

  const caller = await contextFor(DEMO.admin.email, DEMO.admin.password);
  const callee = await contextFor(DEMO.user.email, DEMO.user.password);
  const { page: callerPage } = await openApp(caller, dev.url);
  const { page: calleePage } = await openApp(callee, dev.url);
  await calleePage.evaluate(() => {
    (window as unknown as { __autoAnswer: boolean }).__autoAnswer = true;
  });

  const browserToBrowser: number[] = [];
  for (let i = 0; i < CALLS; i++)
    browserToBrowser.push(await timedCall(callerPage, '020 7946 0102', calleePage, i % 10 === 5 ? `call ${i}` : ''));
  const toPhoneNetwork: number[] = [];
  for (let i = 0; i < CALLS; i++)
    toPhoneNetwork.push(await timedCall(callerPage, '0161 496 0005', undefined, i % 10 === 5 ? `pstn call ${i}` : ''));

  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b).map((x) => Math.round(x));
  console.log(`opens, cold (ms): ${sorted(cold).join(' ')}`);
  console.log(`opens, warm (ms): ${sorted(warm).join(' ')}`);
  console.log(`opens, warm, the first after each first visit (ms): ${sorted(warmFirst).join(' ')}`);
  writeResult('calls', {
    calls_each: CALLS,
    register_ms_p50: round(percentile(cold, 50)),
    register_ms_p95: round(percentile(cold, 95)),
    register_warm_ms_p50: round(percentile(warm, 50)),
    register_warm_ms_p95: round(percentile(warm, 95)),
    register_warm_first_ms_p50: round(percentile(warmFirst, 50)),
    register_warm_first_ms_p95: round(percentile(warmFirst, 95)),
    setup_ms_p50: round(percentile(browserToBrowser, 50)),
    setup_ms_p95: round(percentile(browserToBrowser, 95)),
    setup_phone_network_ms_p50: round(percentile(toPhoneNetwork, 50)),
    setup_phone_network_ms_p95: round(percentile(toPhoneNetwork, 95)),
  });
} finally {
  await browser.close();
  await edge?.stop();
  await dev?.process.stop();
  if (!process.env.KEEP_BENCH_STATE) rmSync(state, { recursive: true, force: true });
  else console.log(`state kept in ${state}`);
}
