import { DurableObject } from 'cloudflare:workers';

/** At most `max` events in any `windowMs` (a sliding window). */
export interface RateRule {
  max: number;
  windowMs: number;
}

/** Lock after `maxFailures` failures within `windowMs`; each lock doubles from `baseLockMs` up to `maxLockMs`; locks are forgotten after `decayMs` of quiet. */
export interface LockoutRule {
  maxFailures: number;
  windowMs: number;
  baseLockMs: number;
  maxLockMs: number;
  decayMs: number;
}

/** The answer for one guarded key: may it go ahead, when to retry, how many tries are left. */
export type Verdict = { allowed: boolean; retryAfterMs: number; remaining: number };

type LockRow = { lockouts: number; locked_until: number; last_failure_at: number };

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS hits (at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS failures (at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    lockouts INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    last_failure_at INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL DEFAULT 0
  );
  INSERT OR IGNORE INTO state (id) VALUES (1);
`;

/**
 * One object per guarded key (limit name + hashed key), so every decision is
 * strongly consistent. Each RPC method does its reads and writes with
 * synchronous SQL and awaits nothing but storage, which keeps the input gate
 * closed: a check and its record can never interleave with another call.
 * `now` comes from the caller so time can be driven in tests.
 */
export class AbuseGuard extends DurableObject<Env> {
  private ready = false;

  /** Sliding-window rate limit over one or more rules; the event is recorded only when every rule allows it. */
  async consume(rules: RateRule | readonly RateRule[], now: number): Promise<Verdict> {
    const list = 'max' in rules ? [rules] : rules;
    this.schema();
    const longest = Math.max(...list.map((rule) => rule.windowMs));
    this.sql.exec('DELETE FROM hits WHERE at <= ?', now - longest);
    const hits = this.sql
      .exec<{ at: number }>('SELECT at FROM hits ORDER BY at')
      .toArray()
      .map((row) => row.at);
    let refused = false;
    let retryAfterMs = 0;
    let remaining = Number.POSITIVE_INFINITY;
    for (const rule of list) {
      const inWindow = hits.filter((at) => at > now - rule.windowMs);
      const excess = inWindow.length - rule.max;
      if (excess >= 0) {
        refused = true;
        // The window has room again once the oldest surplus event slides out.
        retryAfterMs = Math.max(retryAfterMs, (inWindow[excess] ?? now) + rule.windowMs - now);
      }
      remaining = Math.min(remaining, rule.max - inWindow.length - 1);
    }
    if (refused) return { allowed: false, retryAfterMs, remaining: 0 };
    this.sql.exec('INSERT INTO hits (at) VALUES (?)', now);
    await this.keepUntil(now + longest);
    return { allowed: true, retryAfterMs: 0, remaining };
  }

  /** Whether the key is locked out right now; records nothing. */
  async check(rule: LockoutRule, now: number): Promise<Verdict> {
    if (!this.exists()) return { allowed: true, retryAfterMs: 0, remaining: rule.maxFailures };
    const lock = this.lock(rule, now);
    if (lock.locked_until > now) return { allowed: false, retryAfterMs: lock.locked_until - now, remaining: 0 };
    return { allowed: true, retryAfterMs: 0, remaining: rule.maxFailures - this.recentFailures(rule, now) };
  }

  /** Records a failure and answers with the verdict after it; the failure that fills the window starts a lock. */
  async fail(rule: LockoutRule, now: number): Promise<Verdict> {
    this.schema();
    const lock = this.lock(rule, now);
    // Guesses during a lock are refused unseen; they must not lengthen it.
    if (lock.locked_until > now) return { allowed: false, retryAfterMs: lock.locked_until - now, remaining: 0 };
    this.sql.exec('DELETE FROM failures WHERE at <= ?', now - rule.windowMs);
    this.sql.exec('INSERT INTO failures (at) VALUES (?)', now);
    const failures = this.recentFailures(rule, now);
    if (failures < rule.maxFailures) {
      this.sql.exec('UPDATE state SET lockouts = ?, last_failure_at = ? WHERE id = 1', lock.lockouts, now);
      const historyEnds = lock.lockouts > 0 ? Math.max(now, lock.locked_until) + rule.decayMs : 0;
      await this.keepUntil(Math.max(now + rule.windowMs, historyEnds));
      return { allowed: true, retryAfterMs: 0, remaining: rule.maxFailures - failures };
    }
    const lockMs = Math.min(rule.baseLockMs * 2 ** lock.lockouts, rule.maxLockMs);
    this.sql.exec('DELETE FROM failures');
    this.sql.exec(
      'UPDATE state SET lockouts = ?, locked_until = ?, last_failure_at = ? WHERE id = 1',
      lock.lockouts + 1,
      now + lockMs,
      now,
    );
    await this.keepUntil(now + lockMs + rule.decayMs);
    return { allowed: false, retryAfterMs: lockMs, remaining: 0 };
  }

  /** Forgets the consecutive failures but keeps the lock-out history, so one right guess does not reset the back-off. */
  async succeed(_now: number): Promise<void> {
    if (this.exists()) this.sql.exec('DELETE FROM failures');
  }

  /** Forgets this key entirely: a support action (unlock an account) and what tests use to skip a window. */
  async forget(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.ready = false;
  }

  /** Deletes everything once no window, lock or history is live, so idle keys cost nothing. */
  override async alarm(): Promise<void> {
    if (!this.exists()) return;
    const expiresAt = this.sql.exec<{ expires_at: number }>('SELECT expires_at FROM state WHERE id = 1').one().expires_at;
    if (Date.now() < expiresAt) {
      await this.ctx.storage.setAlarm(expiresAt);
      return;
    }
    await this.ctx.storage.deleteAll();
    this.ready = false;
  }

  private get sql(): SqlStorage {
    return this.ctx.storage.sql;
  }

  private schema(): void {
    if (this.ready) return;
    this.sql.exec(SCHEMA);
    this.ready = true;
  }

  /** Read paths use this so that asking about an unknown key never creates storage. */
  private exists(): boolean {
    if (this.ready) return true;
    this.ready = this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state'").toArray().length > 0;
    return this.ready;
  }

  /** The lock row, with the lock-out count forgotten after `decayMs` of quiet (counted from the end of the last lock). */
  private lock(rule: LockoutRule, now: number): LockRow {
    const row = this.sql.exec<LockRow>('SELECT lockouts, locked_until, last_failure_at FROM state WHERE id = 1').one();
    const quietSince = Math.max(row.last_failure_at, row.locked_until);
    if (row.lockouts > 0 && now - quietSince >= rule.decayMs) return { ...row, lockouts: 0 };
    return row;
  }

  private recentFailures(rule: LockoutRule, now: number): number {
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM failures WHERE at > ?', now - rule.windowMs).one().n;
  }

  /** Extends the state's life and makes sure an alarm will come to clear it. */
  private async keepUntil(until: number): Promise<void> {
    this.sql.exec('UPDATE state SET expires_at = MAX(expires_at, ?) WHERE id = 1', until);
    // One pending alarm is enough: when it fires early it re-arms for the stored expiry.
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(until);
  }
}
