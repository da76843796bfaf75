/**
 * The audit log: every admin change, written in the same D1 batch as the
 * change itself, so there is never a change without its entry (nor an entry
 * without its change).
 */
import type { AuditAction, AuditEntry } from '../../shared/admin-api';
import { newId } from '../auth/tokens';
import { Problem } from '../platform/problem';

/** Who changed what, and the changed fields before and after (ids and settings only: no personal data). */
export interface AuditChange {
  businessId: string;
  actorId: string;
  action: AuditAction;
  target: { type: AuditEntry['target']['type']; id: string };
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** Someone else's change got there first: the precondition checked before the batch no longer holds. */
export const changedMeanwhile = () =>
  new Problem(409, 'changed_meanwhile', 'This changed meanwhile', 'Someone changed this at the same time. Reload and try again.');

/**
 * The entry for the statement just before it in the batch. `changes()` is
 * that statement's row count; when it is 0 the action is NULL, the NOT NULL
 * constraint fails, and D1 rolls the whole batch back, consequences (revoked
 * sessions, a released number) included. Each change's WHERE clause restates
 * its preconditions, so a race loses cleanly instead of half-applying.
 */
function entryFor(db: D1Database, change: AuditChange, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_log (id, business_id, actor_user_id, action, target_type, target_id, before_json, after_json, created_at)
       VALUES (?, ?, ?, CASE WHEN changes() > 0 THEN ? END, ?, ?, ?, ?, ?)`,
    )
    .bind(
      newId('aud'),
      change.businessId,
      change.actorId,
      change.action,
      change.target.type,
      change.target.id,
      JSON.stringify(change.before),
      JSON.stringify(change.after),
      now,
    );
}

function guardFired(err: unknown): boolean {
  return String(err).includes('audit_log.action');
}

/**
 * Runs one audited change in one transaction: `first` (groundwork such as
 * freeing a user's old number), then `statement` (which must change at least
 * one row), its audit entry, then its `consequences`. When the statement
 * changes nothing, nothing at all happens and `onNoChange` (default
 * {@link changedMeanwhile}) says why. Other database errors (UNIQUE) are
 * rethrown for the caller to word.
 */
export async function audited(
  db: D1Database,
  statement: D1PreparedStatement,
  change: AuditChange,
  options: {
    first?: D1PreparedStatement[];
    consequences?: D1PreparedStatement[];
    onNoChange?: () => Problem | Promise<Problem>;
    now?: number;
  } = {},
): Promise<void> {
  const entry = entryFor(db, change, options.now ?? Date.now());
  try {
    await db.batch([...(options.first ?? []), statement, entry, ...(options.consequences ?? [])]);
  } catch (err) {
    if (guardFired(err)) throw options.onNoChange ? await options.onNoChange() : changedMeanwhile();
    throw err;
  }
}

/** Whether a database error is a UNIQUE (or primary key) violation on `table`. */
export function isUniqueViolation(err: unknown, table: string): boolean {
  const text = String(err);
  return text.includes('UNIQUE constraint failed') && text.includes(`${table}.`);
}
