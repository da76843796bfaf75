import type { z } from 'zod';
import { type EdgeEvent, type EdgeEventsResult, edgeEvent } from '../../shared/calls-api';
import { type NewlyMissed, rebuildCalls } from './rebuild';

/** An event older than this is refused: a month is far beyond any outage the agent's spool rides out. */
export const MAX_EVENT_AGE_MS = 30 * 24 * 60 * 60 * 1000;

/** How a delivered item that failed validation is reported back: its id when it has a usable one, and every reason. */
export function refusedItem(item: unknown, error: z.ZodError): EdgeEventsResult['rejected'][number] {
  const id = (item as { id?: unknown } | null)?.id;
  return {
    id: typeof id === 'string' ? id.slice(0, 320) : null,
    reason: error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; '),
  };
}

/** What ingesting a delivery did. */
export interface IngestOutcome {
  result: EdgeEventsResult;
  missed: NewlyMissed[];
}

/**
 * Stores a delivery's events, each once (a repeated id is acknowledged and
 * not applied again), and rebuilds the records they belong to. Each event is
 * checked on its own: one malformed event is refused for good and never
 * holds the others back. The edge is not trusted to say whose call it is:
 * the business comes from the record the routing decision wrote.
 */
export async function ingestEvents(db: D1Database, raw: unknown[], now = Date.now()): Promise<IngestOutcome> {
  const rejected: EdgeEventsResult['rejected'] = [];
  const valid: EdgeEvent[] = [];
  for (const item of raw) {
    const parsed = edgeEvent.safeParse(item);
    if (parsed.success && parsed.data.at < now - MAX_EVENT_AGE_MS) {
      // Its call's other events may be gone (kept 90 days): applying it alone would rewrite a finished record.
      rejected.push({ id: parsed.data.id, reason: 'too old to apply' });
    } else if (parsed.success) valid.push(parsed.data);
    else rejected.push(refusedItem(item, parsed.error));
  }
  if (valid.length === 0) return { result: { accepted: [], duplicates: [], rejected }, missed: [] };

  // One statement for the whole delivery; RETURNING says which ids were new.
  const inserted = await db
    .prepare(
      `INSERT INTO call_events (id, call_id, business_id, type, at, body, received_at)
       SELECT e.value ->> 'id', e.value ->> 'callId', (SELECT c.business_id FROM calls c WHERE c.call_id = e.value ->> 'callId'),
              e.value ->> 'type', e.value ->> 'at', e.value, ?2
         FROM json_each(?1) e WHERE true
       ON CONFLICT (id) DO NOTHING
       RETURNING id, call_id, business_id`,
    )
    .bind(JSON.stringify(valid), now)
    .all<{ id: string; call_id: string; business_id: string | null }>();
  const fresh = new Set(inserted.results.map((r) => r.id));
  // Each occurrence is settled: the first of a new id accepted, every other one a duplicate.
  const accepted: string[] = [];
  const duplicates: string[] = [];
  for (const { id } of valid) {
    if (fresh.delete(id)) accepted.push(id);
    else duplicates.push(id);
  }
  // Events of calls with no record (routed while the Worker was down) are kept, unattributed, and swept later.
  const calls = inserted.results.filter((r) => r.business_id !== null).map((r) => r.call_id);
  const missed = await rebuildCalls(db, calls, now);
  return { result: { accepted, duplicates, rejected }, missed };
}
