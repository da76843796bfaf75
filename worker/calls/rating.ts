/**
 * Pricing a call: the rate card's longest matching prefix for the business's
 * plan, billed for the rate's minimum, then per started increment
 * (docs/calls.md: licensed 60/60, pay-as-you-go 60/1). Costs are kept exact
 * in millicents and billed rounded up to a whole cent per call.
 */

/** One row of the rate card. */
export interface Rate {
  prefix: string;
  millicentsPerMinute: number;
  minSeconds: number;
  incrementSeconds: number;
}

/** A call's price. */
export interface Price {
  billableSeconds: number;
  costMillicents: number;
  costCents: number;
}

export const FREE: Price = { billableSeconds: 0, costMillicents: 0, costCents: 0 };

/**
 * Seconds billed for a call that lasted `durationMs`: nothing for a call
 * that never connected (0 ms), else every started second counts, at least
 * the minimum, then whole increments.
 */
export function billableSeconds(durationMs: number, rate: Pick<Rate, 'minSeconds' | 'incrementSeconds'>): number {
  if (!(durationMs > 0)) return 0;
  const seconds = Math.ceil(durationMs / 1000);
  if (seconds <= rate.minSeconds) return rate.minSeconds;
  const increment = Math.max(1, rate.incrementSeconds);
  return rate.minSeconds + Math.ceil((seconds - rate.minSeconds) / increment) * increment;
}

/** The price of a call of `durationMs` at `rate`. */
export function priceCall(durationMs: number, rate: Rate): Price {
  const seconds = billableSeconds(durationMs, rate);
  // Integer arithmetic: seconds × millicents/minute fits easily in 2^53.
  const costMillicents = Math.ceil((seconds * rate.millicentsPerMinute) / 60);
  return { billableSeconds: seconds, costMillicents, costCents: Math.ceil(costMillicents / 1000) };
}

/** Every prefix of an E.164 number's digits, longest first, down to '' (the catch-all). */
export function prefixesOf(e164: string): string[] {
  const digits = e164.replace(/^\+/, '');
  if (!/^\d{1,15}$/.test(digits)) return [''];
  return Array.from({ length: digits.length + 1 }, (_, i) => digits.slice(0, digits.length - i));
}

interface RateRow {
  prefix: string;
  millicents_per_minute: number;
  min_seconds: number;
  increment_seconds: number;
}

/** The rate for a destination on a plan: the longest matching prefix, or null when the card has none. */
export async function findRate(db: D1Database, plan: string, e164: string): Promise<Rate | null> {
  return (await findRates(db, [{ plan, e164 }])).get(`${plan} ${e164}`) ?? null;
}

/**
 * The rates for many destinations at once (one query for a whole delivery
 * of events): key `<plan> <e164>` → its rate, or absent when the card has none.
 */
export async function findRates(db: D1Database, wanted: Array<{ plan: string; e164: string }>): Promise<Map<string, Rate>> {
  const found = new Map<string, Rate>();
  if (wanted.length === 0) return found;
  const prefixes = [...new Set(wanted.flatMap((w) => prefixesOf(w.e164)))];
  const plans = [...new Set(wanted.map((w) => w.plan))];
  const { results } = await db
    .prepare(
      `SELECT plan, prefix, millicents_per_minute, min_seconds, increment_seconds FROM rates
        WHERE plan IN (SELECT value FROM json_each(?1)) AND prefix IN (SELECT value FROM json_each(?2))`,
    )
    .bind(JSON.stringify(plans), JSON.stringify(prefixes))
    .all<RateRow & { plan: string }>();
  const card = new Map(results.map((r) => [`${r.plan} ${r.prefix}`, r]));
  for (const { plan, e164 } of wanted) {
    // Longest first: the first prefix on the card wins.
    const row = prefixesOf(e164)
      .map((prefix) => card.get(`${plan} ${prefix}`))
      .find((r) => r !== undefined);
    if (row) {
      found.set(`${plan} ${e164}`, {
        prefix: row.prefix,
        millicentsPerMinute: row.millicents_per_minute,
        minSeconds: row.min_seconds,
        incrementSeconds: row.increment_seconds,
      });
    }
  }
  return found;
}
