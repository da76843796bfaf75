import { Hono } from 'hono';
import { type PlanInfo, planUpdateRequest } from '../../shared/admin-api';
import type { AppEnv } from '../platform/context';
import { jsonBody } from '../platform/validate';
import { audited } from './audit';
import { loadBusiness } from './business';
import { monthStart, spendingAllowance } from './spending';

async function planInfo(db: D1Database, businessId: string): Promise<PlanInfo> {
  const now = Date.now();
  const [business, allowance] = await Promise.all([loadBusiness(db, businessId), spendingAllowance(db, businessId, now)]);
  return {
    plan: business.plan,
    spendingLimitCents: allowance.limitCents,
    spentCents: allowance.spentCents,
    allowed: allowance.allowed,
    monthStartsAt: monthStart(now),
  };
}

/** The plan (licensed or pay-as-you-go), the spending limit and this month's spend. */
export const adminPlanRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await planInfo(c.env.DB, c.get('auth').businessId));
  })
  .patch('/', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const input = await jsonBody(c, planUpdateRequest);
    const business = await loadBusiness(db, auth.businessId);
    if (business.plan === input.plan && business.spending_limit_cents === input.spendingLimitCents) {
      return c.json(await planInfo(db, auth.businessId));
    }
    await audited(
      db,
      db
        .prepare(
          `UPDATE businesses SET plan = ?1, spending_limit_cents = ?2
            WHERE id = ?3 AND plan = ?4 AND spending_limit_cents IS ?5`,
        )
        .bind(input.plan, input.spendingLimitCents, auth.businessId, business.plan, business.spending_limit_cents),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'business.plan',
        target: { type: 'business', id: auth.businessId },
        before: { plan: business.plan, spendingLimitCents: business.spending_limit_cents },
        after: { plan: input.plan, spendingLimitCents: input.spendingLimitCents },
      },
    );
    return c.json(await planInfo(db, auth.businessId));
  });
