/** The spending limit, enforced before a call starts rather than discovered afterwards. */

/** Midnight UTC on the first of this month: spend is counted from here. */
export function monthStart(now = Date.now()): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/**
 * What the business spent on calls since `since`. No table of call records
 * exists yet (the call records issue adds it, with each call's cost): until
 * then nothing has been spent. When it lands, this becomes one
 * `SELECT COALESCE(SUM(cost_cents), 0) … WHERE business_id = ? AND started_at >= ?`.
 */
export async function spentSince(_db: D1Database, _businessId: string, _since: number): Promise<number> {
  return 0;
}

/** The business's limit, this month's spend, and whether a new chargeable call may start. */
export interface SpendingAllowance {
  /** Null: no limit set. */
  limitCents: number | null;
  spentCents: number;
  allowed: boolean;
}

/**
 * Whether the business may start another chargeable call: allowed while this
 * month's spend is below the limit (always, when no limit is set). The call
 * routing decision asks this before a call to the phone network starts.
 */
export async function spendingAllowance(db: D1Database, businessId: string, now = Date.now()): Promise<SpendingAllowance> {
  const limitCents =
    (await db
      .prepare('SELECT spending_limit_cents FROM businesses WHERE id = ?')
      .bind(businessId)
      .first<number | null>('spending_limit_cents')) ?? null;
  const spentCents = await spentSince(db, businessId, monthStart(now));
  return { limitCents, spentCents, allowed: limitCents === null || spentCents < limitCents };
}
