/** The spending limit, enforced before a call starts rather than discovered afterwards. */

/** Midnight UTC on the first of this month: spend is counted from here. */
export function monthStart(now = Date.now()): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/**
 * What the business spent on calls since `since`, in cents: the sum of its
 * call records' billed costs (worker/calls: each call is rated when it ends,
 * rounded up to a whole cent). A call still in progress counts once it ends.
 */
export async function spentSince(db: D1Database, businessId: string, since: number): Promise<number> {
  return (
    (await db
      .prepare('SELECT COALESCE(SUM(cost_cents), 0) AS spent FROM calls WHERE business_id = ? AND started_at >= ? AND cost_millicents > 0')
      .bind(businessId, since)
      .first<number>('spent')) ?? 0
  );
}

/** The business's limit, this month's spend, and whether a new chargeable call may start. */
export interface SpendingAllowance {
  /** Null: no limit set. */
  limitCents: number | null;
  spentCents: number;
  allowed: boolean;
}

/** The rule: another chargeable call may start while this month's spend is below the limit (always, without one). */
export function withinLimit(limitCents: number | null, spentCents: number): boolean {
  return limitCents === null || spentCents < limitCents;
}

/**
 * Whether the business may start another chargeable call (`withinLimit`),
 * for the admin's plan page. The call routing decision applies the same rule
 * to the limit it already read with the caller (worker/edge/route-policy.ts).
 */
export async function spendingAllowance(db: D1Database, businessId: string, now = Date.now()): Promise<SpendingAllowance> {
  const limitCents =
    (await db
      .prepare('SELECT spending_limit_cents FROM businesses WHERE id = ?')
      .bind(businessId)
      .first<number | null>('spending_limit_cents')) ?? null;
  const spentCents = await spentSince(db, businessId, monthStart(now));
  return { limitCents, spentCents, allowed: withinLimit(limitCents, spentCents) };
}
