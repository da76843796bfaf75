import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { monthStart, spendingAllowance, spentSince } from '../../worker/admin/spending';
import { billableSeconds, findRate, prefixesOf, priceCall } from '../../worker/calls/rating';
import { seedBusiness } from './support/api';
import { deliver, edgeEvent, newCallId, recordOf, route } from './support/calls';
import { assignNumber } from './support/edge';

const LICENSED = { minSeconds: 60, incrementSeconds: 60 };
const PAYG = { minSeconds: 60, incrementSeconds: 1 };

describe('billed seconds: the minimum, then per started increment', () => {
  it('a call that never connected costs nothing; any connected call at least the minimum', () => {
    expect(billableSeconds(0, LICENSED)).toBe(0);
    expect(billableSeconds(-5, PAYG)).toBe(0);
    expect(billableSeconds(1, LICENSED)).toBe(60);
    expect(billableSeconds(1, PAYG)).toBe(60);
    expect(billableSeconds(60_000, LICENSED)).toBe(60);
  });

  it('licensed 60/60: every started minute; pay-as-you-go 60/1: every started second after the first minute', () => {
    expect(billableSeconds(60_001, LICENSED)).toBe(120);
    expect(billableSeconds(60_001, PAYG)).toBe(61);
    expect(billableSeconds(119_999, LICENSED)).toBe(120);
    expect(billableSeconds(125_000, LICENSED)).toBe(180);
    expect(billableSeconds(125_000, PAYG)).toBe(125);
    expect(billableSeconds(125_001, PAYG)).toBe(126);
  });

  it('other increments: 30/6 and no minimum', () => {
    expect(billableSeconds(31_000, { minSeconds: 30, incrementSeconds: 6 })).toBe(36);
    expect(billableSeconds(7_000, { minSeconds: 0, incrementSeconds: 6 })).toBe(12);
  });

  it('prices exactly in millicents and bills whole cents, rounded up per call', () => {
    const ukMobile = { prefix: '447', millicentsPerMinute: 4000, ...LICENSED };
    expect(priceCall(61_000, ukMobile)).toEqual({ billableSeconds: 120, costMillicents: 8000, costCents: 8 });
    const payg = { prefix: '447', millicentsPerMinute: 5000, ...PAYG };
    expect(priceCall(61_000, payg)).toEqual({ billableSeconds: 61, costMillicents: 5084, costCents: 6 });
    expect(priceCall(0, payg)).toEqual({ billableSeconds: 0, costMillicents: 0, costCents: 0 });
  });
});

describe('the rate card: longest prefix wins, per plan', () => {
  it('lists every prefix of the number, longest first, down to the catch-all', () => {
    expect(prefixesOf('+4477')).toEqual(['4477', '447', '44', '4', '']);
    expect(prefixesOf('not a number')).toEqual(['']);
  });

  it.each([
    ['+447700900123', '447'],
    ['+447012345678', '4470'],
    ['+442079460000', '44'],
    ['+449098790000', '449'],
    ['+19005551234', '1900'],
    ['+12125551234', '1'],
    ['+33612345678', '336'],
    ['+85212345678', ''],
  ])('%s → prefix "%s"', async (number, prefix) => {
    expect((await findRate(env.DB, 'licensed', number))?.prefix).toBe(prefix);
    expect((await findRate(env.DB, 'payg', number))?.prefix).toBe(prefix);
  });

  it('pay-as-you-go has its own prices and increments', async () => {
    expect(await findRate(env.DB, 'licensed', '+447700900123')).toEqual({
      prefix: '447',
      millicentsPerMinute: 4000,
      minSeconds: 60,
      incrementSeconds: 60,
    });
    expect(await findRate(env.DB, 'payg', '+447700900123')).toEqual({
      prefix: '447',
      millicentsPerMinute: 5000,
      minSeconds: 60,
      incrementSeconds: 1,
    });
  });
});

/** A business whose user has a number; its plan as given. */
async function business(plan: 'licensed' | 'payg') {
  const b = await seedBusiness({ pool: 2, licensed: true });
  await assignNumber(b.business.id, b.numbers[0] as string, b.user.id);
  await assignNumber(b.business.id, b.numbers[1] as string, b.admin.id);
  await env.DB.prepare('UPDATE businesses SET plan = ? WHERE id = ?').bind(plan, b.business.id).run();
  return b;
}

/** A call of `seconds` (answered) from the user to `to`; returns its record. */
async function talk(b: Awaited<ReturnType<typeof business>>, to: string, seconds: number, source: 'client' | 'phone_network' = 'client') {
  const callId = newCallId();
  await route(callId, source === 'client' ? { source, fromUser: b.user.id, to } : { source, fromUser: '+447700900999', to });
  const t0 = Date.now() - seconds * 1000 - 5000;
  await deliver([
    edgeEvent(callId, 'answer', t0, { code: 200, user: source === 'client' ? undefined : b.user.id }),
    edgeEvent(callId, 'end', t0 + seconds * 1000, { by: 'callee' }),
  ]);
  return recordOf(callId);
}

describe('records carry their cost', () => {
  it('a call to the phone network is rated on the business’s plan, with the rate that priced it', async () => {
    const licensed = await business('licensed');
    expect(await talk(licensed, '+447911123456', 61)).toMatchObject({
      plan: 'licensed',
      duration_ms: 61_000,
      billable_seconds: 120,
      rate_prefix: '447',
      rate_millicents_per_minute: 4000,
      cost_millicents: 8000,
      cost_cents: 8,
    });
    const payg = await business('payg');
    expect(await talk(payg, '+447911123456', 61)).toMatchObject({
      plan: 'payg',
      billable_seconds: 61,
      cost_millicents: 5084,
      cost_cents: 6,
    });
  });

  it('colleagues and incoming calls cost nothing, however long', async () => {
    const b = await business('payg');
    expect(await talk(b, b.admin.id, 3600)).toMatchObject({ direction: 'internal', cost_cents: 0, billable_seconds: 0, rate_prefix: null });
    expect(await talk(b, b.numbers[0] as string, 3600, 'phone_network')).toMatchObject({ direction: 'inbound', cost_cents: 0 });
  });

  it('a zero-length answered call costs nothing', async () => {
    const b = await business('payg');
    expect(await talk(b, '+447911123456', 0)).toMatchObject({ duration_ms: 0, cost_cents: 0 });
  });

  it('spentSince sums this month’s costs of this business only, and the spending limit then stops the next call', async () => {
    const b = await business('payg');
    const other = await business('payg');
    await talk(b, '+447911123456', 61); // 6 cents
    await talk(b, '+12125551234', 120); // 2 minutes at 1.5 c = 3 cents
    await talk(other, '+447911123456', 600);
    // A call last month does not count this month.
    const old = await talk(b, '+447911123456', 600);
    await env.DB.prepare('UPDATE calls SET started_at = ? WHERE id = ?')
      .bind(monthStart() - 1000, old?.id)
      .run();
    expect(await spentSince(env.DB, b.business.id, monthStart())).toBe(9);

    await env.DB.prepare('UPDATE businesses SET spending_limit_cents = 9 WHERE id = ?').bind(b.business.id).run();
    expect(await spendingAllowance(env.DB, b.business.id)).toEqual({ limitCents: 9, spentCents: 9, allowed: false });
    expect(await route(newCallId(), { source: 'client', fromUser: b.user.id, to: '+447911123456' })).toMatchObject({ action: 'block' });
  });
});
