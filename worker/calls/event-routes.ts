import { Hono } from 'hono';
import { type EdgeRegistration, edgeEvent, edgeEventBatch, edgeRegistration } from '../../shared/calls-api';
import type { AppEnv } from '../platform/context';
import { fieldErrors, problems } from '../platform/problem';
import { presenceFromRegistrations } from '../presence/registrations';
import { requireEdgeSignature } from './edge-signature';
import { ingestEvents, refusedItem } from './ingest';
import { announceMissed } from './missed-calls';
import { presenceFromEvents } from './presence-from-events';

/**
 * The edge agent delivers call events here (`POST /api/edge/events`), signed,
 * in batches, at least once. The answer settles every event: accepted,
 * already had (a duplicate), or refused for good; the agent then drops them
 * from its spool.
 */
export const edgeEventRoutes = new Hono<AppEnv>().post('/events', requireEdgeSignature, async (c) => {
  let raw: unknown;
  try {
    raw = JSON.parse(c.get('signedBody'));
  } catch {
    throw problems.badJson();
  }
  const batch = edgeEventBatch.safeParse(raw);
  if (!batch.success) throw problems.validation(fieldErrors(batch.error));
  // Registrations ride in the same deliveries; they go to presence, not to call records.
  const calls: unknown[] = [];
  const registrations: EdgeRegistration[] = [];
  const refused: ReturnType<typeof refusedItem>[] = [];
  for (const item of batch.data.events) {
    if ((item as { type?: unknown } | null)?.type !== 'registration') calls.push(item);
    else {
      const parsed = edgeRegistration.safeParse(item);
      if (parsed.success) registrations.push(parsed.data);
      else refused.push(refusedItem(item, parsed.error));
    }
  }
  // Applied before answering: if the hub is away the delivery fails and the agent retries (setting a state twice is harmless).
  await presenceFromRegistrations(c.env, registrations);
  const { result, missed } = await ingestEvents(c.env.DB, calls);
  result.accepted.push(...registrations.map((r) => r.id));
  result.rejected.push(...refused);
  if (missed.length > 0) c.executionCtx.waitUntil(announceMissed(c.env, missed));
  const fresh = new Set(result.accepted);
  const log = c.get('log');
  c.executionCtx.waitUntil(
    presenceFromEvents(
      c.env,
      batch.data.events.flatMap((raw) => {
        const parsed = edgeEvent.safeParse(raw);
        return parsed.success && fresh.has(parsed.data.id) ? [parsed.data] : [];
      }),
    ).catch((err: unknown) => log('error', 'presence from call events failed', { error: String(err) })),
  );
  if (result.rejected.length > 0) c.get('log')('warn', 'edge events refused', { rejected: result.rejected });
  c.header('Cache-Control', 'no-store');
  return c.json(result);
});
