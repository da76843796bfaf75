import { publishLiveEvent } from '../live/publish';
import type { NewlyMissed } from './rebuild';

/**
 * Tells each callee's devices of a missed call. The event id is stable per
 * call, so a record rebuilt twice (a repeated delivery) is shown once.
 */
export async function announceMissed(env: Pick<Env, 'LIVE_HUB'>, missed: NewlyMissed[]): Promise<void> {
  const sends = missed.flatMap((m) =>
    m.callees.map((userId) =>
      publishLiveEvent(
        env,
        m.businessId,
        { kind: 'missed_call', id: `missed_call:${m.recordId}`, at: m.at, callId: m.recordId, from: m.from?.slice(0, 64) ?? null },
        { userId },
      ),
    ),
  );
  await Promise.allSettled(sends);
}
