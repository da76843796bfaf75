import type { PresenceEntry } from '../../shared/live-protocol';
import type { Colleague } from '../../shared/presence-api';

/**
 * The caller's colleagues (active users of the same business, the caller
 * excluded) by name, with their extension (what the app dials for them: it
 * is what a person would dial too) and their presence: the hub's word for
 * anyone it knows, otherwise offline with the switch D1 holds.
 */
export async function listColleagues(db: D1Database, businessId: string, callerId: string, live: PresenceEntry[]): Promise<Colleague[]> {
  const { results } = await db
    .prepare(
      `SELECT u.id, u.name, u.dnd, x.extension
         FROM users u
         LEFT JOIN extensions x ON x.business_id = u.business_id AND x.user_id = u.id
        WHERE u.business_id = ? AND u.status = 'active' AND u.id != ?
        ORDER BY u.name COLLATE NOCASE, u.id`,
    )
    .bind(businessId, callerId)
    .all<{ id: string; name: string; dnd: number; extension: string | null }>();
  const byUser = new Map(live.map((e) => [e.userId, e]));
  return results.map((row) => {
    const entry = byUser.get(row.id);
    return { userId: row.id, name: row.name, extension: row.extension, state: entry?.state ?? 'offline', dnd: entry?.dnd ?? row.dnd === 1 };
  });
}
