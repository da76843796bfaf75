import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../worker/abuse/client-address';
import type { AbuseGuard, LockoutRule, RateRule } from '../../worker/abuse/guard';
import {
  assertNotLocked,
  consume,
  guardName,
  humanDuration,
  LIMITS,
  lockedOut,
  recordFailure,
  recordSuccess,
} from '../../worker/abuse/limits';
import { Problem } from '../../worker/platform/problem';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const guard = (name: string) => env.ABUSE_GUARD.getByName(name);

const threePerMinute: RateRule = { max: 3, windowMs: MINUTE };
const lockRule: LockoutRule = { maxFailures: 3, windowMs: 10 * MINUTE, baseLockMs: MINUTE, maxLockMs: 4 * MINUTE, decayMs: HOUR };

/** The Problem a promise rejects with (fails the test if it resolves or throws something else). */
async function problemOf(promise: Promise<unknown>): Promise<Problem> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Problem)) throw new Error(`expected a Problem, got ${String(error)}`);
  return error;
}

/** Fails `times` times at `now` and returns the last verdict. */
async function failTimes(stub: ReturnType<typeof guard>, times: number, now: number) {
  let last = await stub.fail(lockRule, now);
  for (let i = 1; i < times; i++) last = await stub.fail(lockRule, now);
  return last;
}

/** Table names in the object's SQLite storage, without the runtime's own. */
function tables(state: DurableObjectState): string[] {
  return state.storage.sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
    .toArray()
    .map((row) => row.name)
    .filter((name) => !name.startsWith('_cf'));
}

describe('AbuseGuard rate limits (sliding window)', () => {
  it('allows exactly max in the window, refuses the next until the oldest slides out', async () => {
    const stub = guard('rate:exact');
    const t0 = Date.now();
    expect(await stub.consume(threePerMinute, t0)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 2 });
    expect(await stub.consume(threePerMinute, t0 + 10 * SECOND)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 1 });
    expect(await stub.consume(threePerMinute, t0 + 20 * SECOND)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 0 });
    expect(await stub.consume(threePerMinute, t0 + 30 * SECOND)).toEqual({ allowed: false, retryAfterMs: 30 * SECOND, remaining: 0 });
    expect(await stub.consume(threePerMinute, t0 + MINUTE - 1)).toEqual({ allowed: false, retryAfterMs: 1, remaining: 0 });
    // The refusals above were not recorded, so the first event's slot frees exactly on time.
    expect(await stub.consume(threePerMinute, t0 + MINUTE)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 0 });
    expect(await stub.consume(threePerMinute, t0 + MINUTE + 1)).toEqual({ allowed: false, retryAfterMs: 10 * SECOND - 1, remaining: 0 });
  });

  it('applies every rule of a list and records only when all allow', async () => {
    const stub = guard('rate:list');
    const rules: RateRule[] = [
      { max: 1, windowMs: 30 * SECOND },
      { max: 3, windowMs: HOUR },
    ];
    const t0 = Date.now();
    expect(await stub.consume(rules, t0)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await stub.consume(rules, t0 + 5 * SECOND)).toEqual({ allowed: false, retryAfterMs: 25 * SECOND, remaining: 0 });
    expect(await stub.consume(rules, t0 + 30 * SECOND)).toMatchObject({ allowed: true });
    expect(await stub.consume(rules, t0 + 60 * SECOND)).toMatchObject({ allowed: true });
    // Burst allows, the hour does not: the longer wait wins.
    expect(await stub.consume(rules, t0 + 90 * SECOND)).toEqual({ allowed: false, retryAfterMs: HOUR - 90 * SECOND, remaining: 0 });
    expect(await stub.consume(rules, t0 + HOUR)).toMatchObject({ allowed: true });
  });
});

describe('AbuseGuard lock-outs', () => {
  it('locks after maxFailures, refuses during the lock without lengthening it, then doubles', async () => {
    const stub = guard('lock:double');
    const t0 = Date.now();
    expect(await stub.fail(lockRule, t0)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 2 });
    expect(await stub.fail(lockRule, t0 + 1)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 1 });
    expect(await stub.fail(lockRule, t0 + 2)).toEqual({ allowed: false, retryAfterMs: MINUTE, remaining: 0 });
    expect(await stub.check(lockRule, t0 + 30 * SECOND)).toEqual({ allowed: false, retryAfterMs: 30 * SECOND + 2, remaining: 0 });
    expect(await stub.fail(lockRule, t0 + 40 * SECOND)).toEqual({ allowed: false, retryAfterMs: 20 * SECOND + 2, remaining: 0 });

    const t1 = t0 + 2 + MINUTE;
    // The lock is over and the failure counter started again at zero.
    expect(await stub.check(lockRule, t1)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 3 });
    expect(await failTimes(stub, 3, t1)).toEqual({ allowed: false, retryAfterMs: 2 * MINUTE, remaining: 0 });
  });

  it('caps the lock at maxLockMs', async () => {
    const stub = guard('lock:cap');
    let t = Date.now();
    const locks: number[] = [];
    for (let i = 0; i < 5; i++) {
      const verdict = await failTimes(stub, 3, t);
      locks.push(verdict.retryAfterMs);
      t += verdict.retryAfterMs;
    }
    expect(locks).toEqual([MINUTE, 2 * MINUTE, 4 * MINUTE, 4 * MINUTE, 4 * MINUTE]);
  });

  it('counts only failures inside the window', async () => {
    const stub = guard('lock:window');
    const t0 = Date.now();
    await failTimes(stub, 2, t0);
    expect(await stub.check(lockRule, t0 + 10 * MINUTE - 1)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await stub.fail(lockRule, t0 + 10 * MINUTE)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 2 });
  });

  it('forgets the lock-out history after decayMs of quiet, and not before', async () => {
    const t0 = Date.now();
    const lockEnds = t0 + MINUTE;
    const early = guard('lock:decay-early');
    const late = guard('lock:decay-late');
    for (const stub of [early, late]) expect((await failTimes(stub, 3, t0)).retryAfterMs).toBe(MINUTE);
    expect((await failTimes(early, 3, lockEnds + HOUR - 1)).retryAfterMs).toBe(2 * MINUTE);
    expect((await failTimes(late, 3, lockEnds + HOUR)).retryAfterMs).toBe(MINUTE);
  });

  it('resets consecutive failures on success but keeps the back-off', async () => {
    const stub = guard('lock:success');
    const t0 = Date.now();
    await failTimes(stub, 2, t0);
    await stub.succeed(t0 + 1);
    expect(await stub.check(lockRule, t0 + 1)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 3 });
    expect(await failTimes(stub, 2, t0 + 2)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 1 });
    expect(await stub.fail(lockRule, t0 + 3)).toEqual({ allowed: false, retryAfterMs: MINUTE, remaining: 0 });

    const t1 = t0 + 3 + MINUTE;
    await stub.succeed(t1);
    expect((await failTimes(stub, 3, t1)).retryAfterMs).toBe(2 * MINUTE);
  });
});

describe('AbuseGuard storage', () => {
  it('keeps its state when the object is evicted', async () => {
    const t0 = Date.now();
    await guard('evict:rate').consume(threePerMinute, t0);
    await guard('evict:rate').consume(threePerMinute, t0);
    await failTimes(guard('evict:lock'), 3, t0);

    const before = await runInDurableObject(guard('evict:rate'), (instance: AbuseGuard) => instance);
    await abortAllDurableObjects();
    const after = await runInDurableObject(guard('evict:rate'), (instance: AbuseGuard) => instance);
    expect(after).not.toBe(before);

    expect(await guard('evict:rate').consume(threePerMinute, t0 + 1)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 0 });
    expect(await guard('evict:rate').consume(threePerMinute, t0 + 2)).toMatchObject({ allowed: false });
    expect(await guard('evict:lock').check(lockRule, t0 + SECOND)).toEqual({ allowed: false, retryAfterMs: MINUTE - SECOND, remaining: 0 });
  });

  it('creates no storage when asked about an unknown key', async () => {
    const stub = guard('storage:unknown');
    expect(await stub.check(lockRule, Date.now())).toEqual({ allowed: true, retryAfterMs: 0, remaining: 3 });
    await stub.succeed(Date.now());
    const [names, alarm] = await runInDurableObject(stub, async (_: AbuseGuard, state) => [tables(state), await state.storage.getAlarm()]);
    expect(names).toEqual([]);
    expect(alarm).toBeNull();
  });

  it('deletes everything at the alarm once nothing is live', async () => {
    const stub = guard('storage:expired');
    const past = Date.now() - 2 * HOUR;
    await stub.consume(threePerMinute, past);
    await failTimes(stub, 1, past);
    await runDurableObjectAlarm(stub);
    const names = await runInDurableObject(stub, (_: AbuseGuard, state) => tables(state));
    expect(names).toEqual([]);
    // The same instance can still record after its tables were dropped.
    expect(await stub.consume(threePerMinute, Date.now())).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('keeps live state at an early alarm and re-arms for its expiry', async () => {
    const stub = guard('storage:live');
    const t0 = Date.now();
    await stub.consume(threePerMinute, t0);
    await failTimes(stub, 3, t0);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const [names, alarm] = await runInDurableObject(stub, async (_: AbuseGuard, state) => [tables(state), await state.storage.getAlarm()]);
    expect(names).toEqual(expect.arrayContaining(['hits', 'failures', 'state']));
    // The lock-out history lives until the lock ends plus the decay time.
    expect(alarm).toBe(t0 + MINUTE + HOUR);
    expect(await stub.check(lockRule, t0 + 1)).toMatchObject({ allowed: false });
  });
});

describe('limits (the policy and the functions routes call)', () => {
  it('pins the product rules', () => {
    expect(LIMITS.signin_account.rule).toMatchObject({ maxFailures: 5, baseLockMs: MINUTE, maxLockMs: HOUR });
    expect(LIMITS.signin_ip.rules).toEqual([{ max: 30, windowMs: 10 * MINUTE }]);
    expect(LIMITS.code_send_mobile.rules).toEqual([
      { max: 1, windowMs: 30 * SECOND },
      { max: 5, windowMs: HOUR },
    ]);
    expect(LIMITS.code_send_ip.rules).toEqual([{ max: 20, windowMs: HOUR }]);
    expect(LIMITS.code_verify_mobile.rule).toMatchObject({ maxFailures: 5, baseLockMs: 5 * MINUTE, maxLockMs: 24 * HOUR });
    expect(LIMITS.code_verify_ip.rules).toEqual([{ max: 50, windowMs: HOUR }]);
    expect(LIMITS.signup_ip.rules).toEqual([{ max: 10, windowMs: HOUR }]);
    expect(LIMITS.signup_email.rules).toEqual([{ max: 3, windowMs: HOUR }]);
    expect(LIMITS.reset_email.rules).toEqual([{ max: 3, windowMs: HOUR }]);
    expect(LIMITS.reset_ip.rules).toEqual([{ max: 20, windowMs: HOUR }]);
    expect(LIMITS.token_ip.rules).toEqual([{ max: 30, windowMs: 10 * MINUTE }]);
  });

  it('throws rate_limited with Retry-After and a sentence a person understands', async () => {
    const mobile = '+447700900123';
    const t0 = Date.now();
    await consume(env, 'code_send_mobile', mobile, t0);
    const burst = await problemOf(consume(env, 'code_send_mobile', mobile, t0 + SECOND));
    expect(burst).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 29 });
    expect(burst.detail).toBe('Too many codes requested for this number. Try again in 29 seconds.');
    for (let i = 1; i < 5; i++) await consume(env, 'code_send_mobile', mobile, t0 + i * 30 * SECOND);
    const hour = await problemOf(consume(env, 'code_send_mobile', mobile, t0 + 150 * SECOND));
    expect(hour).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 3450 });
    expect(hour.detail).toBe('Too many codes requested for this number. Try again in 58 minutes.');
    await expect(consume(env, 'code_send_mobile', mobile, t0 + HOUR)).resolves.toMatchObject({ allowed: true });
  });

  it('throws locked_out after the failure that starts a lock, and while it lasts', async () => {
    const mobile = '+447700900456';
    const t0 = Date.now();
    await assertNotLocked(env, 'code_verify_mobile', mobile, t0);
    const remaining: number[] = [];
    for (let i = 0; i < 4; i++) remaining.push((await recordFailure(env, 'code_verify_mobile', mobile, t0)).remaining);
    expect(remaining).toEqual([4, 3, 2, 1]);
    const fifth = await recordFailure(env, 'code_verify_mobile', mobile, t0);
    expect(fifth).toEqual({ allowed: false, retryAfterMs: 5 * MINUTE, remaining: 0 });
    const started = lockedOut(fifth.retryAfterMs, LIMITS.code_verify_mobile.what);
    expect(started).toMatchObject({ status: 429, code: 'locked_out', title: 'Temporarily locked', retryAfter: 300 });
    expect(started.detail).toBe('For your security, sign-in with this number is locked for 5 minutes.');

    const during = await problemOf(assertNotLocked(env, 'code_verify_mobile', mobile, t0 + MINUTE));
    expect(during).toMatchObject({ status: 429, code: 'locked_out', retryAfter: 240 });
    expect(during.detail).toBe('For your security, sign-in with this number is locked for 4 minutes.');
    await expect(assertNotLocked(env, 'code_verify_mobile', mobile, t0 + 5 * MINUTE)).resolves.toBeUndefined();
  });

  it('recordSuccess clears the failures of that key', async () => {
    const email = 'someone@example.com';
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) await recordFailure(env, 'signin_account', email, t0);
    await recordSuccess(env, 'signin_account', email, t0);
    expect(await recordFailure(env, 'signin_account', email, t0)).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('keeps names and keys independent', async () => {
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) await consume(env, 'reset_email', 'a@example.com', t0);
    expect((await problemOf(consume(env, 'reset_email', 'a@example.com', t0))).code).toBe('rate_limited');
    await expect(consume(env, 'reset_email', 'b@example.com', t0)).resolves.toMatchObject({ remaining: 2 });
    await expect(consume(env, 'signup_email', 'a@example.com', t0)).resolves.toMatchObject({ remaining: 2 });
  });

  it('names objects by a SHA-256 of name and key, never the key itself', async () => {
    const name = await guardName('signup_email', 'c@example.com');
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect(name).toBe(await guardName('signup_email', 'c@example.com'));
    expect(name).not.toBe(await guardName('reset_email', 'c@example.com'));
    expect(name).not.toBe(await guardName('signup_email', 'd@example.com'));

    const t0 = Date.now();
    await consume(env, 'signup_email', 'c@example.com', t0);
    expect(await guard(name).consume(LIMITS.signup_email.rules, t0)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('words waits in seconds, minutes and hours, rounded up', () => {
    expect(humanDuration(1)).toBe('1 second');
    expect(humanDuration(45 * SECOND)).toBe('45 seconds');
    expect(humanDuration(MINUTE)).toBe('1 minute');
    expect(humanDuration(MINUTE + 1)).toBe('2 minutes');
    expect(humanDuration(HOUR)).toBe('1 hour');
    expect(humanDuration(90 * MINUTE)).toBe('1 hour 30 minutes');
    expect(humanDuration(24 * HOUR)).toBe('24 hours');
  });
});

describe('clientAddress', () => {
  const request = (headers: Record<string, string>) => new Request('https://app.test/api/x', { headers });

  it('prefers CF-Connecting-IP, then the first X-Forwarded-For entry', () => {
    expect(clientAddress(request({ 'CF-Connecting-IP': '198.51.100.4', 'X-Forwarded-For': '203.0.113.7' }))).toBe('198.51.100.4');
    expect(clientAddress(request({ 'X-Forwarded-For': ' 203.0.113.7 , 10.0.0.1' }))).toBe('203.0.113.7');
    expect(clientAddress(request({ 'CF-Connecting-IP': '', 'X-Forwarded-For': '203.0.113.8' }))).toBe('203.0.113.8');
  });

  it('keys IPv6 by its /64', () => {
    const a = clientAddress(request({ 'CF-Connecting-IP': '2001:DB8:abcd:0012:1:2:3:4' }));
    expect(a).toBe('2001:db8:abcd:12::/64');
    expect(clientAddress(request({ 'CF-Connecting-IP': '2001:db8:abcd:12:ffff::9' }))).toBe(a);
    expect(clientAddress(request({ 'CF-Connecting-IP': '2001:db8:abcd:13::1' }))).toBe('2001:db8:abcd:13::/64');
    expect(clientAddress(request({ 'CF-Connecting-IP': '2001:db8::1' }))).toBe('2001:db8:0:0::/64');
    expect(clientAddress(request({ 'X-Forwarded-For': '[2001:db8:1:2::5]:443' }))).toBe('2001:db8:1:2::/64');
    expect(clientAddress(request({ 'CF-Connecting-IP': '::ffff:192.0.2.1' }))).toBe('192.0.2.1');
  });

  it("says 'unknown' without either header", () => {
    expect(clientAddress(request({}))).toBe('unknown');
  });
});
