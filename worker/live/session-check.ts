/**
 * Which of these sessions may still use the live channel: not revoked, not
 * expired, its user active and its business in good standing (the same rules
 * as `currentSession`). One query for any number of sockets.
 */
export async function liveSessionIds(db: D1Database, businessId: string, sessionIds: string[], now: number): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const { results } = await db
    .prepare(
      `SELECT s.id
         FROM sessions s
         JOIN users u ON u.id = s.user_id AND u.business_id = s.business_id
         JOIN businesses b ON b.id = s.business_id
        WHERE s.business_id = ?1 AND s.id IN (SELECT value FROM json_each(?2))
          AND s.revoked_at IS NULL AND s.idle_expires_at > ?3 AND s.absolute_expires_at > ?3
          AND u.status = 'active' AND b.status IN ('trial', 'active')`,
    )
    .bind(businessId, JSON.stringify([...new Set(sessionIds)]), now)
    .all<{ id: string }>();
  return new Set(results.map((r) => r.id));
}
