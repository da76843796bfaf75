import type { EdgeRegistration } from '../../shared/calls-api';

/**
 * Presence from the edge's registrar: each registered SIP device keeps its
 * user online (until its Expires runs out, so a registrar that dies cannot
 * leave anyone online), an unREGISTER or an expiry takes it away. Users are
 * looked up here, never trusted from the edge: a user who is not ours, or
 * is terminated, is ignored. Applied in the order the edge saw them.
 */
export async function presenceFromRegistrations(env: Pick<Env, 'DB' | 'LIVE_HUB'>, items: EdgeRegistration[]): Promise<void> {
  if (items.length === 0) return;
  const ids = [...new Set(items.map((r) => r.user))];
  const { results } = await env.DB.prepare(
    `SELECT id, business_id FROM users WHERE terminated_at IS NULL AND id IN (SELECT value FROM json_each(?))`,
  )
    .bind(JSON.stringify(ids))
    .all<{ id: string; business_id: string }>();
  const businessOf = new Map(results.map((r) => [r.id, r.business_id]));
  // One hub call per device, in order: a device that registered and then left ends up gone.
  for (const item of [...items].sort((a, b) => a.at - b.at)) {
    const businessId = businessOf.get(item.user);
    if (!businessId) continue;
    await env.LIVE_HUB.getByName(businessId).setRegistered(item.user, item.expires > 0, {
      deviceId: `sip:${item.device}`,
      expiresInMs: item.expires * 1000,
    });
  }
}
