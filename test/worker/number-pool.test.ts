import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ensureNumber } from '../../worker/accounts/number-pool';
import { seedBusiness } from './support/api';

async function users(businessId: string, count: number, tag: string): Promise<string[]> {
  const now = Date.now();
  const ids = Array.from({ length: count }, (_, i) => `usr_pool_${tag}_${i}`);
  await env.DB.batch(
    ids.map((id) =>
      env.DB.prepare("INSERT INTO users (id, business_id, name, email, created_at, updated_at) VALUES (?, ?, 'P', ?, ?, ?)").bind(
        id,
        businessId,
        `${id}@x.example`,
        now,
        now,
      ),
    ),
  );
  return ids;
}

describe('allocating business numbers from the pool', () => {
  it('never gives two users the same number when they sign in at once', async () => {
    const { business, numbers } = await seedBusiness({ pool: 3 });
    const ids = await users(business.id, 6, 'race');
    const got = await Promise.all(ids.map((id) => ensureNumber(env.DB, business.id, id)));
    const assigned = got.filter((n) => n !== null).map((n) => n?.e164);
    expect(assigned).toHaveLength(3);
    expect(new Set(assigned).size).toBe(3);
    expect(assigned.every((e) => numbers.includes(e as string))).toBe(true);
    // The three left without a number raised one open alert, not three.
    const alerts = await env.DB.prepare("SELECT COUNT(*) AS n FROM alerts WHERE business_id = ? AND kind = 'number_pool_empty'")
      .bind(business.id)
      .first('n');
    expect(alerts).toBe(1);
  });

  it('keeps a user on the number they already have', async () => {
    const { business } = await seedBusiness({ pool: 2 });
    const [id] = await users(business.id, 1, 'keep');
    const first = await ensureNumber(env.DB, business.id, id as string);
    const second = await ensureNumber(env.DB, business.id, id as string);
    expect(second).toEqual(first);
  });

  it("never takes the main number or another business's numbers", async () => {
    const a = await seedBusiness({ pool: 0 });
    await seedBusiness({ pool: 2 });
    await env.DB.prepare(
      "INSERT INTO numbers (id, business_id, e164, kind, created_at) VALUES ('num_main_a', ?, '+442079469999', 'main', ?)",
    )
      .bind(a.business.id, Date.now())
      .run();
    const [id] = await users(a.business.id, 1, 'main');
    expect(await ensureNumber(env.DB, a.business.id, id as string)).toBeNull();
  });
});
