import type { PresenceEntry } from '../../shared/live-protocol';
import type { Colleague } from '../../shared/presence-api';

/**
 * The caller's colleagues (active users of the same business, the caller
 * excluded) by name, with their presence: the hub's word for anyone it knows,
 * otherwise offline with the switch D1 holds.
 */
export async function listColleagues(db: D1Database, businessId: string, callerId: string, live: PresenceEntry[]): Promise<Colleague[]> {
  const { results } = await db
    .prepare("SELECT id, name, dnd FROM users WHERE business_id = ? AND status = 'active' AND id != ? ORDER BY name COLLATE NOCASE, id")
    .bind(businessId, callerId)
    .all<{ id: string; name: string; dnd: number }>();
  const byUser = new Map(live.map((e) => [e.userId, e]));
  return results.map((row) => {
    const entry = byUser.get(row.id);
    return { userId: row.id, name: row.name, state: entry?.state ?? 'offline', dnd: entry?.dnd ?? row.dnd === 1 };
  });
}
