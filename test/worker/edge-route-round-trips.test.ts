import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { dialTarget, dialTargetAnywhere } from '../../worker/edge/dial-target';
import { decideRoute } from '../../worker/edge/route-decision';
import type { RouteRequest } from '../../worker/edge/route-types';
import { seedBusiness } from './support/api';
import { assignNumber, national } from './support/edge';

const EXTERNAL = '+441614960001';

/**
 * D1 as the decision sees it, counting round trips: each statement run on
 * its own and each batch is one. The edge waits on every one of them
 * (ENGINEERING.md §3: p95 ≤ 20 ms), so the budget is pinned here rather
 * than by a timed test.
 */
function countingDb(db: D1Database) {
  const real = new WeakMap<object, D1PreparedStatement>();
  const counter = { trips: 0 };
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const counted =
      (name: 'first' | 'all' | 'run' | 'raw') =>
      // biome-ignore lint/suspicious/noExplicitAny: forwards whatever the real method takes
      (...args: any[]) => {
        counter.trips++;
        // biome-ignore lint/suspicious/noExplicitAny: as above
        return (statement[name] as any)(...args);
      };
    const wrapper = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values)),
      first: counted('first'),
      all: counted('all'),
      run: counted('run'),
      raw: counted('raw'),
    } as unknown as D1PreparedStatement;
    real.set(wrapper, statement);
    return wrapper;
  };
  const counting = {
    prepare: (query: string) => wrap(db.prepare(query)),
    batch: (statements: D1PreparedStatement[]) => {
      counter.trips++;
      return db.batch(statements.map((s) => real.get(s) ?? s));
    },
  } as unknown as D1Database;
  return { db: counting, counter };
}

async function trips(request: Omit<RouteRequest, 'callId'>): Promise<{ trips: number; action: string }> {
  const { db, counter } = countingDb(env.DB);
  const decision = await decideRoute(db, { callId: 'not-recorded', ...request });
  return { trips: counter.trips, action: decision.action };
}

describe('the routing decision reads in as few D1 round trips as it can', () => {
  it('one round trip for a colleague by user id, extension or +E.164 number, and for a call from the phone network', async () => {
    const b = await seedBusiness({ pool: 3, licensed: true });
    const [userNumber, adminNumber] = b.numbers as [string, string];
    await assignNumber(b.business.id, userNumber, b.user.id);
    await assignNumber(b.business.id, adminNumber, b.admin.id);
    await env.DB.prepare('INSERT INTO extensions (business_id, extension, user_id, created_at) VALUES (?, ?, ?, ?)')
      .bind(b.business.id, '201', b.admin.id, Date.now())
      .run();
    for (const to of [b.admin.id, '201', adminNumber]) {
      expect(await trips({ source: 'client', fromUser: b.user.id, to })).toEqual({ trips: 1, action: 'ring' });
    }
    expect(await trips({ source: 'phone_network', fromUser: EXTERNAL, to: userNumber })).toEqual({ trips: 1, action: 'ring' });
    // Refusals cost no more: an unknown callee, a caller who may not call.
    expect(await trips({ source: 'client', fromUser: b.user.id, to: 'usr_nobody' })).toEqual({ trips: 1, action: 'reject' });
    expect(await trips({ source: 'client', fromUser: 'usr_nobody', to: b.admin.id })).toEqual({ trips: 1, action: 'reject' });
    // A national number needs the caller's country before it can be looked up.
    expect(await trips({ source: 'client', fromUser: b.user.id, to: national(adminNumber) })).toEqual({ trips: 2, action: 'ring' });
  });

  it('one round trip to the phone network without a spending limit; one more to add up the spend when there is one', async () => {
    const b = await seedBusiness({ pool: 1, licensed: true });
    await assignNumber(b.business.id, b.numbers[0] as string, b.user.id);
    expect(await trips({ source: 'client', fromUser: b.user.id, to: EXTERNAL })).toEqual({ trips: 1, action: 'phone_network' });
    await env.DB.prepare("UPDATE businesses SET plan = 'payg', spending_limit_cents = 500 WHERE id = ?").bind(b.business.id).run();
    expect(await trips({ source: 'client', fromUser: b.user.id, to: EXTERNAL })).toEqual({ trips: 2, action: 'phone_network' });
  });
});

describe('what can be looked up before the caller is known', () => {
  it('user ids, extensions and numbers with their "+" read the same in every country; national numbers wait for the country', () => {
    for (const to of ['usr_someone', '201', '+441614960001', '+1 202 555 0101', '+12', '+44 161 496 0001']) {
      const early = dialTargetAnywhere(to);
      expect(early).toBeDefined();
      for (const country of ['GB', 'US', 'FR', 'DE']) expect(dialTarget(to, country)).toEqual(early);
    }
    for (const to of ['0161 496 0001', '00441614960001', '(202) 555-0101']) expect(dialTargetAnywhere(to)).toBeUndefined();
  });
});
