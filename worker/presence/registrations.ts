import type { EdgeRegistration } from '../../shared/calls-api';

/**
 * Presence from the edge's registrar: each registered SIP device keeps its
 * user online (until its Expires runs out, so a registrar that dies cannot
 * leave anyone online), an unREGISTER or an expiry takes it away. Users are
 * looked up here, never trusted from the edge: a user who is not ours is
 * ignored, and a device of a user who is not active (suspended, terminated)
 * counts as gone, so a desk phone still registered with old credentials
 * takes its suspended user offline at its next renewal instead of keeping
 * them online for colleagues. The order the edge saw them decides.
 */
export async function presenceFromRegistrations(env: Pick<Env, 'DB' | 'LIVE_HUB'>, items: EdgeRegistration[]): Promise<void> {
  if (items.length === 0) return;
  const ids = [...new Set(items.map((r) => r.user))];
  const { results } = await env.DB.prepare(
    `SELECT id, business_id, status = 'active' AND terminated_at IS NULL AS active FROM users WHERE id IN (SELECT value FROM json_each(?))`,
  )
    .bind(JSON.stringify(ids))
    .all<{ id: string; business_id: string; active: number }>();
  const users = new Map(results.map((r) => [r.id, r]));
  // Only each device's latest word counts (a device that registered and then
  // left is gone): one hub call per device, not per item.
  const latest = new Map<string, EdgeRegistration>();
  for (const item of [...items].sort((a, b) => a.at - b.at)) latest.set(`${item.user}\n${item.device}`, item);
  await Promise.all(
    [...latest.values()].map((item) => {
      const user = users.get(item.user);
      if (!user) return undefined;
      return env.LIVE_HUB.getByName(user.business_id).setRegistered(item.user, item.expires > 0 && user.active === 1, {
        deviceId: `sip:${item.device}`,
        expiresInMs: item.expires * 1000,
      });
    }),
  );
}
