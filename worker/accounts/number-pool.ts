import type { BusinessNumber } from '../../shared/auth-api';
import { newId } from '../auth/tokens';

/** What the user is told when the pool had no free number for them. */
export const EMPTY_POOL_NOTICE =
  'No business number is free for you yet. Your admin has been told; you can still call colleagues by extension.';

/**
 * Gives the user a free number from the business's pool, unless they have
 * one. One UPDATE picks and claims the number, so two users signing in at
 * once never get the same one (D1 runs each statement atomically, and the
 * UNIQUE assigned_user_id refuses a second number for one user). An empty
 * pool raises one open alert for the admins.
 */
export async function ensureNumber(db: D1Database, businessId: string, userId: string): Promise<BusinessNumber | null> {
  const existing = await db
    .prepare('SELECT e164, kind FROM numbers WHERE business_id = ? AND assigned_user_id = ?')
    .bind(businessId, userId)
    .first<BusinessNumber>();
  if (existing) return existing;
  try {
    const claimed = await db
      .prepare(
        `UPDATE numbers SET assigned_user_id = ?1
          WHERE id = (SELECT id FROM numbers WHERE business_id = ?2 AND kind = 'pool' AND assigned_user_id IS NULL ORDER BY e164 LIMIT 1)
            AND assigned_user_id IS NULL
        RETURNING e164, kind`,
      )
      .bind(userId, businessId)
      .first<BusinessNumber>();
    if (claimed) return claimed;
  } catch (err) {
    // A concurrent request for the same user claimed one first: use it.
    if (!String(err).includes('UNIQUE')) throw err;
    return db
      .prepare('SELECT e164, kind FROM numbers WHERE business_id = ? AND assigned_user_id = ?')
      .bind(businessId, userId)
      .first<BusinessNumber>();
  }
  await raiseAlert(
    db,
    businessId,
    'number_pool_empty',
    'A user signed in but the number pool has no free number. Add numbers to the pool.',
  );
  return null;
}

/** Opens an alert for the business's admins; one open alert per kind. */
export async function raiseAlert(db: D1Database, businessId: string, kind: string, message: string): Promise<void> {
  await db
    .prepare('INSERT OR IGNORE INTO alerts (id, business_id, kind, message, open_key, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(newId('alr'), businessId, kind, message, kind, Date.now())
    .run();
}
