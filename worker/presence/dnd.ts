import type { DndStatus } from '../../shared/presence-api';

/**
 * Whether a user has do-not-disturb on: the call routing decision asks this
 * before ringing anyone, and sends the call to voicemail (or busy without
 * voicemail) when it is true. One indexed read of D1, the system of record;
 * an unknown user (or one of another business) is never on do-not-disturb.
 */
export async function isDoNotDisturb(db: D1Database, businessId: string, userId: string): Promise<boolean> {
  const row = await db.prepare('SELECT dnd FROM users WHERE business_id = ? AND id = ?').bind(businessId, userId).first<{ dnd: number }>();
  return row?.dnd === 1;
}

/** A user's switch and when it last changed; null for no such user in this business. */
export async function readDnd(db: D1Database, businessId: string, userId: string): Promise<DndStatus | null> {
  const row = await db
    .prepare('SELECT dnd, dnd_changed_at FROM users WHERE business_id = ? AND id = ?')
    .bind(businessId, userId)
    .first<{ dnd: number; dnd_changed_at: number | null }>();
  return row ? { on: row.dnd === 1, changedAt: row.dnd_changed_at } : null;
}

/**
 * Sets a user's switch and returns what D1 holds afterwards. Setting the
 * value it already has changes nothing (not even the time); a change older
 * than the stored one loses, so two devices racing end on the later one.
 */
export async function writeDnd(db: D1Database, businessId: string, userId: string, on: boolean, at: number): Promise<DndStatus | null> {
  const row = await db
    .prepare(
      `UPDATE users SET dnd = ?1, dnd_changed_at = ?2
        WHERE business_id = ?3 AND id = ?4 AND dnd != ?1 AND (dnd_changed_at IS NULL OR dnd_changed_at <= ?2)
       RETURNING dnd, dnd_changed_at`,
    )
    .bind(on ? 1 : 0, at, businessId, userId)
    .first<{ dnd: number; dnd_changed_at: number | null }>();
  return row ? { on: row.dnd === 1, changedAt: row.dnd_changed_at } : readDnd(db, businessId, userId);
}

/**
 * Every switch that was ever touched in a business, of its active users only,
 * for the hub to start from: a suspended or terminated user is nobody's
 * colleague, so the hub must not name them in presence snapshots.
 */
export async function loadBusinessDnd(db: D1Database, businessId: string): Promise<Map<string, DndStatus>> {
  const { results } = await db
    .prepare(
      "SELECT id, dnd, dnd_changed_at FROM users WHERE business_id = ? AND status = 'active' AND terminated_at IS NULL AND dnd_changed_at IS NOT NULL",
    )
    .bind(businessId)
    .all<{ id: string; dnd: number; dnd_changed_at: number }>();
  return new Map(results.map((r) => [r.id, { on: r.dnd === 1, changedAt: r.dnd_changed_at }]));
}
