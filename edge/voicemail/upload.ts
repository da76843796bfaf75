/**
 * Delivery of spooled messages to the Worker
 * (`POST /api/edge/voicemail/messages?…`, bearer EDGE_API_SECRET), oldest
 * first, one at a time, until the Worker takes each. The same pattern, and
 * the same pacer, as the edge agent's event delivery (edge/agent/deliver.ts):
 * anything but a clear answer keeps the message and retries with exponential
 * backoff and equal jitter (0.5 s doubling to 30 s), so a Worker outage loses
 * nothing; the upload is idempotent on the Call-ID, so a retry after a lost
 * answer is safe.
 */
import { Pacer } from '../shared/pacer';
import type { MessageSpool } from './message-spool';

/** What the uploader has done, for /health. */
export interface UploadStats {
  uploaded: number;
  refused: number;
  failures: number;
  lastError: string | null;
}

/**
 * Whether an answer means "this will never be accepted as it is". 401
 * (a secret to fix), 408, 429 and every 5xx are passing troubles; other 4xx
 * (a malformed request, an unknown mailbox, a Call-ID used for another
 * mailbox, too large) will not change by retrying.
 */
export function refusedForGood(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 408, 429].includes(status);
}

export interface UploaderOptions {
  workerUrl: string;
  secret: string;
  spool: MessageSpool;
  log: (message: string, fields?: Record<string, unknown>) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
}

export class Uploader {
  readonly stats: UploadStats = { uploaded: 0, refused: 0, failures: 0, lastError: null };
  private stopped = false;
  private readonly pacer: Pacer;
  private loop: Promise<void> | null = null;
  private readonly abort = new AbortController();

  constructor(private readonly options: UploaderOptions) {
    this.pacer = new Pacer(options.minBackoffMs, options.maxBackoffMs);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** A message was spooled: send it now unless the Worker is away (then the backoff runs its course). */
  poke(): void {
    this.pacer.poke();
  }

  get failing(): boolean {
    return this.pacer.failures > 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.pacer.interrupt();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { spool, log } = this.options;
    while (!this.stopped) {
      const next = spool.next();
      if (!next) {
        await this.pacer.idle(60_000);
        continue;
      }
      let outcome: { ok: true } | { ok: false; status: number; error: string };
      try {
        const query = new URLSearchParams(Object.entries(next.upload).map(([k, v]) => [k, String(v)] as [string, string])).toString();
        const res = await fetch(new URL(`/api/edge/voicemail/messages?${query}`, this.options.workerUrl), {
          method: 'POST',
          headers: { Authorization: `Bearer ${this.options.secret}`, 'Content-Type': next.contentType },
          body: new Uint8Array(spool.audio(next.id)),
          signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs ?? 30_000), this.abort.signal]),
        });
        const text = await res.text();
        outcome = res.ok ? { ok: true } : { ok: false, status: res.status, error: `HTTP ${res.status}: ${text.slice(0, 300)}` };
      } catch (err) {
        outcome = { ok: false, status: 0, error: String(err) };
      }
      if (outcome.ok) {
        spool.remove(next.id);
        this.pacer.succeeded();
        this.stats.uploaded++;
        log('message delivered', { id: next.id, callId: next.upload.callId, userId: next.upload.userId });
        continue;
      }
      if (refusedForGood(outcome.status)) {
        spool.setAside(next.id, outcome.error);
        this.pacer.succeeded();
        this.stats.refused++;
        log('message refused by the Worker; kept aside', { id: next.id, error: outcome.error });
        continue;
      }
      if (this.stopped) break;
      this.stats.failures++;
      if (this.stats.lastError !== outcome.error) log('upload failed; the message stays spooled', { id: next.id, error: outcome.error });
      this.stats.lastError = outcome.error;
      await this.pacer.failed();
    }
  }
}
