/**
 * Delivery to the Worker: the spool's oldest events in batches, signed
 * (HMAC-SHA256 over timestamp + body), at least once. The Worker settles
 * every event of a 200 answer (accepted, duplicate, or refused for good), so
 * the batch leaves the spool; anything else keeps it and retries with
 * exponential backoff and jitter, forever: the spool is what rides out an
 * outage.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EDGE_BATCH_MAX,
  EDGE_SIGNATURE_HEADER,
  EDGE_TIMESTAMP_HEADER,
  type EdgeEventsResult,
  edgeSigningKey,
  signEdgeBody,
} from '../../shared/calls-api';
import { Pacer } from '../shared/pacer';
import type { Spool } from './spool';

/** What the deliverer has done, for /health and the logs. */
export interface DeliveryStats {
  delivered: number;
  duplicates: number;
  rejected: number;
  failures: number;
  lastError: string | null;
  lastDeliveredAt: number | null;
}

export interface DeliveryOptions {
  workerUrl: string;
  secret: string;
  spool: Spool;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** Events per request (at most EDGE_BATCH_MAX). */
  batchSize?: number;
  /** First retry after this many ms, doubling up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Give up on one request after this long (the Worker hanging is an outage too). */
  timeoutMs?: number;
}

/** Runs the delivery loop until stopped. */
export class Deliverer {
  readonly stats: DeliveryStats = { delivered: 0, duplicates: 0, rejected: 0, failures: 0, lastError: null, lastDeliveredAt: null };
  private stopped = false;
  private key: Promise<CryptoKey>;
  private batch: number;
  private loop: Promise<void> | null = null;
  private readonly pacer: Pacer;
  /** Aborts the request in flight when the agent stops. */
  private readonly abort = new AbortController();

  constructor(private readonly options: DeliveryOptions) {
    this.key = edgeSigningKey(options.secret, 'sign');
    this.batch = Math.min(options.batchSize ?? 200, EDGE_BATCH_MAX);
    this.pacer = new Pacer(options.minBackoffMs, options.maxBackoffMs);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** New events were spooled: deliver now rather than after a pause. */
  poke(): void {
    this.pacer.poke();
  }

  /** Stops after the request in flight (its events stay spooled if it did not finish). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.pacer.interrupt();
    await this.loop;
  }

  /** Whether the last attempt failed (the Worker is away). */
  get failing(): boolean {
    return this.pacer.failures > 0;
  }

  private async run(): Promise<void> {
    const { spool } = this.options;
    let size = this.batch;
    while (!this.stopped) {
      const entries = spool.head(size);
      if (entries.length === 0) {
        await this.pacer.idle(60_000);
        continue;
      }
      const outcome = await this.send(entries.map((e) => e.event)).catch((err: unknown) => ({
        kind: 'retry' as const,
        error: String(err),
      }));
      if (outcome.kind === 'settled') {
        spool.ack(entries.length);
        this.pacer.succeeded();
        size = this.batch;
        this.stats.delivered += outcome.result.accepted.length;
        this.stats.duplicates += outcome.result.duplicates.length;
        this.stats.rejected += outcome.result.rejected.length;
        this.stats.lastDeliveredAt = Date.now();
        if (outcome.result.rejected.length > 0) this.deadLetter(outcome.result.rejected);
        continue;
      }
      if (outcome.kind === 'unacceptable') {
        // The Worker refuses the request itself (too large, malformed): halve it until the culprit is alone, then set it aside.
        if (entries.length > 1) {
          size = Math.max(1, Math.floor(entries.length / 2));
          continue;
        }
        this.deadLetter([{ id: entries[0]?.event.id ?? null, reason: outcome.error }], entries[0]?.event);
        spool.ack(1);
        size = this.batch;
        continue;
      }
      this.stats.failures++;
      if (this.stats.lastError !== outcome.error)
        this.options.log('delivery failed; events stay spooled', { error: outcome.error, pending: spool.size });
      this.stats.lastError = outcome.error;
      await this.pacer.failed();
    }
  }

  private async send(
    events: unknown[],
  ): Promise<{ kind: 'settled'; result: EdgeEventsResult } | { kind: 'retry' | 'unacceptable'; error: string }> {
    const body = JSON.stringify({ events });
    const timestamp = String(Date.now());
    const signature = await signEdgeBody(await this.key, timestamp, body);
    const res = await fetch(new URL('/api/edge/events', this.options.workerUrl), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        // The answers are small; an uncompressed one also passes unchanged through any proxy in between.
        'Accept-Encoding': 'identity',
        [EDGE_TIMESTAMP_HEADER]: timestamp,
        [EDGE_SIGNATURE_HEADER]: signature,
      },
      body,
      signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs ?? 10_000), this.abort.signal]),
    });
    const text = await res.text();
    if (res.status === 200) return { kind: 'settled', result: JSON.parse(text) as EdgeEventsResult };
    const error = `HTTP ${res.status}: ${text.slice(0, 300)}`;
    // 401 (a secret or clock to fix), 429 and 5xx are worth retrying; 400/413/422 will never pass as they are.
    return [400, 413, 422].includes(res.status) ? { kind: 'unacceptable', error } : { kind: 'retry', error };
  }

  /** Events the Worker refused for good, kept beside the spool for a person to look at. */
  private deadLetter(rejected: EdgeEventsResult['rejected'], event?: unknown): void {
    this.options.log('events refused by the Worker', { rejected });
    const line = `${JSON.stringify({ at: new Date().toISOString(), rejected, event })}\n`;
    appendFileSync(join(this.options.spool.dir, 'refused.jsonl'), line);
  }
}
