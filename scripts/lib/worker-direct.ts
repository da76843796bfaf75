/**
 * The Worker in workerd the way Cloudflare runs it: requests reach it
 * directly, with no `wrangler dev` in front. For benchmarks of per-request
 * latency only; `npm start` and the tests keep `wrangler dev`.
 *
 * Why: `wrangler dev` answers on a proxy worker in a second workerd process
 * (it holds requests while the Worker reloads) that forwards each request to
 * the Worker's own socket. Measured on this machine (2 cores, idle), that hop
 * costs 1.8–3 ms per request at p50 (a 404: 2.7 ms through the proxy, 1.0 ms
 * direct; a one-query D1 read: 7.0 against 3.9), which a 20 ms budget for the
 * edge's routing decision must not charge to the Worker. Production has no
 * such hop.
 *
 * Same code (wrangler's own `deploy --dry-run` bundle), same bindings and
 * Durable Objects (read from wrangler.toml by wrangler), and the same local
 * state layout as `wrangler dev --persist-to`, so `applyMigrations` and the
 * seed in scripts/lib work on it unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { ROOT, wrangler } from './wrangler';

export interface DirectWorker {
  url: string;
  stop(): Promise<void>;
}

export async function startWorkerDirect(options: { port: number; persistTo: string; vars: Record<string, string> }): Promise<DirectWorker> {
  const outdir = mkdtempSync(join(tmpdir(), 'softphone-worker-bundle-'));
  try {
    await wrangler(['deploy', '--dry-run', '--outdir', outdir]);
    const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'));
    const state = join(options.persistTo, 'v3');
    const mf = new Miniflare({
      ...workerOptions,
      // The bench's own secrets, never .dev.vars (which wrangler reads into the options).
      bindings: { ...workerOptions.bindings, ...options.vars },
      modules: true,
      scriptPath: join(outdir, 'index.js'),
      modulesRoot: outdir,
      host: '127.0.0.1',
      port: options.port,
      d1Persist: join(state, 'd1'),
      durableObjectsPersist: join(state, 'do'),
      r2Persist: join(state, 'r2'),
      // The Worker's own log lines (one per request) are not the bench's output; its errors are.
      handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
        stdout.resume();
        stderr.pipe(process.stderr);
      },
    });
    const url = (await mf.ready).origin;
    return {
      url,
      stop: async () => {
        await mf.dispose();
        rmSync(outdir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(outdir, { recursive: true, force: true });
    throw err;
  }
}
