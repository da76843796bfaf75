/**
 * The pace of a delivery loop toward the Worker: after a failure, wait with
 * exponential backoff and equal jitter (0.5 s doubling to 30 s by default);
 * when idle, sleep until poked. Shared by the edge agent's call events and
 * recordings and the voicemail service's messages, so all ride out an
 * outage the same way.
 */

/** Exponential backoff with equal jitter: half the step fixed, half random. */
export function backoffMs(failures: number, minMs = 500, maxMs = 30_000, random = Math.random): number {
  const step = Math.min(maxMs, minMs * 2 ** (failures - 1));
  return step / 2 + random() * (step / 2);
}

/** One delivery loop's waits: backoff after failures, idle until poked. */
export class Pacer {
  /** Failed attempts in a row: while the Worker is away, new work does not cut the backoff short. */
  failures = 0;
  private wake: (() => void) | null = null;

  constructor(
    private readonly minBackoffMs = 500,
    private readonly maxBackoffMs = 30_000,
  ) {}

  /** The last attempt worked: the next failure starts from the shortest wait again. */
  succeeded(): void {
    this.failures = 0;
  }

  /** The last attempt failed: waits out the backoff for this many failures in a row. */
  failed(): Promise<void> {
    this.failures++;
    return this.sleep(backoffMs(this.failures, this.minBackoffMs, this.maxBackoffMs));
  }

  /** Nothing to do: sleeps until poked, stopped or `ms` passed. */
  idle(ms: number): Promise<void> {
    return this.sleep(ms);
  }

  /** New work: go now, unless backing off from a failure. */
  poke(): void {
    if (this.failures === 0) this.wake?.();
  }

  /** Ends any wait at once (stopping). */
  interrupt(): void {
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
