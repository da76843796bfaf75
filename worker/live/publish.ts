import { type LiveAudience, type LiveEvent, liveEvent } from '../../shared/live-protocol';
import type { PublishResult } from './hub';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a feature describes it: the id and time are filled in when missing. */
export type LiveEventInput = DistributiveOmit<LiveEvent, 'id' | 'at'> & { id?: string; at?: number };

/**
 * Pushes an event to a user's devices (`{ userId }`) or to everyone in the
 * business (`'business'`), through the business's LiveHub. Routes call it
 * after their own write, typically in `c.executionCtx.waitUntil(…)`.
 *
 * Give a stable `id` when the same happening may be published twice (e.g.
 * `missed_call:<callId>`): the hub and the apps drop repeats. One retry on a
 * failure, with the same id, so the event is delivered at least once and
 * never shown twice.
 */
export async function publishLiveEvent(
  env: Pick<Env, 'LIVE_HUB'>,
  businessId: string,
  input: LiveEventInput,
  to: LiveAudience = 'business',
): Promise<PublishResult> {
  const event = liveEvent.parse({ ...input, id: input.id ?? `evt_${crypto.randomUUID()}`, at: input.at ?? Date.now() });
  const hub = () => env.LIVE_HUB.getByName(businessId);
  try {
    return await hub().publish(event, to);
  } catch {
    // A stub that failed (the object restarted mid-call) cannot be reused: take a fresh one.
    return await hub().publish(event, to);
  }
}
