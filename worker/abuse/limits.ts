import { Problem, problems } from '../platform/problem';
import type { LockoutRule, RateRule, Verdict } from './guard';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

type RateLimit = { kind: 'rate'; rules: readonly RateRule[]; tooMany: string };
type LockoutLimit = { kind: 'lockout'; rule: LockoutRule; what: string };

/**
 * The policy: every guessable secret is limited per account or number and per
 * client address. Callers count attempts whether or not the account exists,
 * and every message speaks of "this email address" or "this number", never of
 * an account, so a refusal reveals nothing about who is registered.
 */
export const LIMITS = {
  signin_account: {
    kind: 'lockout',
    rule: { maxFailures: 5, windowMs: 15 * MINUTE, baseLockMs: MINUTE, maxLockMs: HOUR, decayMs: 24 * HOUR },
    what: 'sign-in with this email address',
  },
  signin_ip: { kind: 'rate', rules: [{ max: 30, windowMs: 10 * MINUTE }], tooMany: 'Too many sign-in attempts from this network.' },
  // Both rules live in one object so that a refused request uses up neither.
  code_send_mobile: {
    kind: 'rate',
    rules: [
      { max: 1, windowMs: 30 * SECOND },
      { max: 5, windowMs: HOUR },
    ],
    tooMany: 'Too many codes requested for this number.',
  },
  code_send_ip: { kind: 'rate', rules: [{ max: 20, windowMs: HOUR }], tooMany: 'Too many codes requested from this network.' },
  code_verify_mobile: {
    kind: 'lockout',
    rule: { maxFailures: 5, windowMs: HOUR, baseLockMs: 5 * MINUTE, maxLockMs: 24 * HOUR, decayMs: 24 * HOUR },
    what: 'sign-in with this number',
  },
  code_verify_ip: { kind: 'rate', rules: [{ max: 50, windowMs: HOUR }], tooMany: 'Too many codes tried from this network.' },
  signup_ip: { kind: 'rate', rules: [{ max: 10, windowMs: HOUR }], tooMany: 'Too many sign-ups from this network.' },
  signup_email: { kind: 'rate', rules: [{ max: 3, windowMs: HOUR }], tooMany: 'Too many sign-up attempts for this email address.' },
  reset_email: { kind: 'rate', rules: [{ max: 3, windowMs: HOUR }], tooMany: 'Too many password resets requested for this email address.' },
  reset_ip: { kind: 'rate', rules: [{ max: 20, windowMs: HOUR }], tooMany: 'Too many password resets requested from this network.' },
  token_ip: { kind: 'rate', rules: [{ max: 30, windowMs: 10 * MINUTE }], tooMany: 'Too many links tried from this network.' },
} as const satisfies Record<string, RateLimit | LockoutLimit>;

type Limits = typeof LIMITS;
/** Names of the sliding-window limits (for `consume`). */
export type RateLimitName = { [K in keyof Limits]: Limits[K]['kind'] extends 'rate' ? K : never }[keyof Limits];
/** Names of the lock-out limits (for `assertNotLocked`, `recordFailure`, `recordSuccess`). */
export type LockoutLimitName = Exclude<keyof Limits, RateLimitName>;

/** Counts one attempt; throws a 429 `rate_limited` problem when the limit is reached. */
export async function consume(env: Env, name: RateLimitName, key: string, now = Date.now()): Promise<Verdict> {
  const limit: RateLimit = LIMITS[name];
  const verdict = await (await guard(env, name, key)).consume(limit.rules, now);
  if (!verdict.allowed) {
    throw problems.rateLimited(retrySeconds(verdict.retryAfterMs), `${limit.tooMany} Try again in ${humanDuration(verdict.retryAfterMs)}.`);
  }
  return verdict;
}

/** Throws a 429 `locked_out` problem while the key is locked out. */
export async function assertNotLocked(env: Env, name: LockoutLimitName, key: string, now = Date.now()): Promise<void> {
  const limit: LockoutLimit = LIMITS[name];
  const verdict = await (await guard(env, name, key)).check(limit.rule, now);
  if (!verdict.allowed) throw lockedOut(verdict.retryAfterMs, limit.what);
}

/** Records a failed guess; a verdict that is not `allowed` means this failure started a lock (throw `lockedOut`). */
export async function recordFailure(env: Env, name: LockoutLimitName, key: string, now = Date.now()): Promise<Verdict> {
  const limit: LockoutLimit = LIMITS[name];
  return (await guard(env, name, key)).fail(limit.rule, now);
}

/** Records a right guess: clears the consecutive failures, keeps the lock-out history. */
export async function recordSuccess(env: Env, name: LockoutLimitName, key: string, now = Date.now()): Promise<void> {
  await (await guard(env, name, key)).succeed(now);
}

/** The 429 `locked_out` problem, e.g. "For your security, sign-in with this number is locked for 5 minutes." */
export function lockedOut(retryAfterMs: number, what: string): Problem {
  const detail = `For your security, ${what} is locked for ${humanDuration(retryAfterMs)}.`;
  return new Problem(429, 'locked_out', 'Temporarily locked', detail, undefined, retrySeconds(retryAfterMs));
}

/** The Durable Object name for a key: SHA-256 hex, so emails and numbers never appear as object names. */
export async function guardName(name: string, key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${name}:${key}`));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A wait in words, rounded up: "45 seconds", "4 minutes", "1 hour 30 minutes". */
export function humanDuration(ms: number): string {
  const seconds = retrySeconds(ms);
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${plural(hours, 'hour')} ${plural(rest, 'minute')}` : plural(hours, 'hour');
}

async function guard(env: Env, name: keyof Limits, key: string) {
  return env.ABUSE_GUARD.getByName(await guardName(name, key));
}

function retrySeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / SECOND));
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
