/**
 * The agent's on-disk spool: items (call events; recordings waiting for
 * upload) as JSON lines in numbered segment files, each write fsync'd before
 * the producer is told "spooled". Delivery takes events
 * from the head in order and acknowledges them as a prefix, recorded in a
 * small `.ack` file per segment (written atomically); a segment whose every
 * line is delivered is deleted. On restart the unacknowledged lines are the
 * queue again, so nothing delivered is lost and nothing is dropped unsent.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { EdgeDeliveryItem } from '../../shared/calls-api';
import { fsyncDir, writeDurably } from '../shared/durable-files';

/** One spooled item and where it lives. */
export interface SpoolEntry<T = EdgeDeliveryItem> {
  event: T;
  segment: number;
  line: number;
}

interface Segment {
  seq: number;
  lines: number;
  acked: number;
}

/** A segment is sealed (a new one started) after this many lines, so files stay small. */
const SEGMENT_LINES = 1000;

const segmentName = (seq: number) => `seg-${String(seq).padStart(12, '0')}.jsonl`;
const ackName = (seq: number) => `seg-${String(seq).padStart(12, '0')}.ack`;

/** The durable queue of items waiting for the Worker (call events unless told otherwise). */
export class Spool<T = EdgeDeliveryItem> {
  private readonly segments = new Map<number, Segment>();
  private queue: SpoolEntry<T>[] = [];
  private active: { seq: number; fd: number } | null = null;
  private nextSeq = 1;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.load();
  }

  /** Events waiting, oldest first. */
  get size(): number {
    return this.queue.length;
  }

  /** The oldest `limit` events waiting. */
  head(limit: number): SpoolEntry<T>[] {
    return this.queue.slice(0, limit);
  }

  /**
   * Appends events durably: resolves once they are written and fsync'd.
   * Calls are serialised, so lines never interleave.
   */
  append(events: T[]): Promise<void> {
    const run = this.writing.then(() => this.write(events));
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** The first `count` events of the queue were settled by the Worker: forget them on disk, then in memory. */
  ack(count: number): void {
    const done = this.queue.slice(0, count);
    const touched = new Map<number, number>();
    for (const entry of done) touched.set(entry.segment, Math.max(touched.get(entry.segment) ?? 0, entry.line + 1));
    for (const [seq, acked] of touched) {
      const segment = this.segments.get(seq);
      if (!segment) continue;
      segment.acked = Math.max(segment.acked, acked);
      if (segment.acked >= segment.lines) this.dropSegment(segment);
      else this.writeAck(segment);
    }
    this.queue = this.queue.slice(count);
  }

  /** Closes the active segment's file. */
  close(): void {
    if (this.active) closeSync(this.active.fd);
    this.active = null;
  }

  private write(events: T[]): void {
    if (events.length === 0) return;
    if (!this.active || (this.segments.get(this.active.seq)?.lines ?? 0) >= SEGMENT_LINES) this.startSegment();
    const active = this.active as { seq: number; fd: number };
    const segment = this.segments.get(active.seq) as Segment;
    const text = events.map((e) => `${JSON.stringify(e)}\n`).join('');
    try {
      writeSync(active.fd, text);
      fsyncSync(active.fd);
    } catch (err) {
      // Whatever part of it reached the file is a torn line: never append after it.
      this.close();
      throw err;
    }
    for (const event of events) this.queue.push({ event, segment: segment.seq, line: segment.lines++ });
  }

  private startSegment(): void {
    this.close();
    const seq = this.nextSeq++;
    const fd = openSync(join(this.dir, segmentName(seq)), 'a');
    fsyncDir(this.dir);
    this.active = { seq, fd };
    this.segments.set(seq, { seq, lines: 0, acked: 0 });
  }

  private dropSegment(segment: Segment): void {
    if (this.active?.seq === segment.seq) this.close();
    rmSync(join(this.dir, ackName(segment.seq)), { force: true });
    rmSync(join(this.dir, segmentName(segment.seq)), { force: true });
    this.segments.delete(segment.seq);
    fsyncDir(this.dir);
  }

  private writeAck(segment: Segment): void {
    const tmp = join(this.dir, `${ackName(segment.seq)}.tmp`);
    writeDurably(tmp, `${segment.acked}\n`);
    renameSync(tmp, join(this.dir, ackName(segment.seq)));
    fsyncDir(this.dir);
  }

  /**
   * Rebuilds the queue from the segments on disk. New events always go to a
   * new segment: an old one may end in a line torn by a crash, which is
   * skipped (it was never acknowledged to Kamailio).
   */
  private load(): void {
    const seqs = readdirSync(this.dir)
      .map((name) => /^seg-(\d{12})\.jsonl$/.exec(name)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const seq of seqs) {
      const lines = readFileSync(join(this.dir, segmentName(seq)), 'utf8').split('\n');
      let acked = 0;
      try {
        acked = Number.parseInt(readFileSync(join(this.dir, ackName(seq)), 'utf8'), 10) || 0;
      } catch {
        // no acknowledgement yet
      }
      const segment: Segment = { seq, lines: 0, acked };
      this.segments.set(seq, segment);
      for (const text of lines) {
        if (!text) continue;
        let event: T;
        try {
          event = JSON.parse(text) as T;
        } catch {
          continue; // a torn last line
        }
        const line = segment.lines++;
        if (line >= acked) this.queue.push({ event, segment: seq, line });
      }
      if (segment.acked >= segment.lines) this.dropSegment(segment);
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
    }
  }
}
