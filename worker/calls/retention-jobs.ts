import type { MaintenanceJob } from '../maintenance/cron';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Call records and call history are kept 84 months after the account is
 * terminated, for billing queries (PRODUCT.md, retention). 84 months of 30
 * days is a little short of 7 years, so the calendar is used: 7 × 365 + 2
 * leap days (any 7 years hold at least one, at most two; the longer wins).
 */
export const CALLS_AFTER_TERMINATION_MS = (7 * 365 + 2) * DAY;

/** Rows handled per statement and per run: one run stays well inside a cron's limits, the next run continues. */
const CHUNK = 1000;
const RUN_MAX = 200_000;

/** Businesses terminated before the cutoff: everything about their calls goes. */
const EXPIRED_BUSINESSES = 'SELECT id FROM businesses WHERE terminated_at IS NOT NULL AND terminated_at < ?1';

/**
 * Users of a business that is still with us, terminated before the cutoff.
 * Their records stay with the business (billing, the other party's
 * history), but no longer say who they were: the user's history rows go and
 * the record's links to them are cleared.
 */
const EXPIRED_USERS = `SELECT u.business_id, u.id FROM users u JOIN businesses b ON b.id = u.business_id
                        WHERE u.terminated_at IS NOT NULL AND u.terminated_at < ?1 AND b.terminated_at IS NULL`;

/** Repeats a statement that handles at most CHUNK rows until it handles fewer, or the run's budget is spent. */
async function inChunks(step: () => Promise<number>): Promise<number> {
  let total = 0;
  while (total < RUN_MAX) {
    const changed = await step();
    total += changed;
    if (changed < CHUNK) break;
  }
  return total;
}

/** Deletes the calls (their parties by cascade) and events of businesses past retention. */
async function deleteExpiredBusinessCalls(db: D1Database, cutoff: number): Promise<number> {
  const events = () =>
    db
      .prepare(
        `DELETE FROM call_events WHERE rowid IN (SELECT rowid FROM call_events WHERE business_id IN (${EXPIRED_BUSINESSES}) LIMIT ?2)`,
      )
      .bind(cutoff, CHUNK)
      .run()
      .then((r) => r.meta.changes);
  await inChunks(events);
  // call_parties go with their call (ON DELETE CASCADE), which meta.changes
  // would count too: the calls are counted by picking them first.
  return inChunks(async () => {
    const { results } = await db
      .prepare(`SELECT id FROM calls WHERE business_id IN (${EXPIRED_BUSINESSES}) LIMIT ?2`)
      .bind(cutoff, CHUNK)
      .all<{ id: string }>();
    if (results.length === 0) return 0;
    await db
      .prepare('DELETE FROM calls WHERE id IN (SELECT value FROM json_each(?))')
      .bind(JSON.stringify(results.map((r) => r.id)))
      .run();
    return results.length;
  });
}

/** Removes past users' history and clears who they were from the business's records; returns history rows removed. */
async function anonymiseExpiredUsers(db: D1Database, cutoff: number): Promise<number> {
  const removed = await inChunks(() =>
    db
      .prepare(
        `DELETE FROM call_parties WHERE rowid IN (
           SELECT rowid FROM call_parties WHERE (business_id, user_id) IN (${EXPIRED_USERS}) LIMIT ?2)`,
      )
      .bind(cutoff, CHUNK)
      .run()
      .then((r) => r.meta.changes),
  );
  // The record keeps what billing needs (numbers, times, cost) and loses the
  // user: who placed it, who answered on which device, and the request as
  // sent (its From was the user id). The JSON lists of targets are rewritten
  // without them.
  await inChunks(() =>
    db
      .prepare(
        `UPDATE calls SET
           caller_user_id = CASE WHEN (business_id, caller_user_id) IN (${EXPIRED_USERS}) THEN NULL ELSE caller_user_id END,
           from_user = CASE WHEN (business_id, from_user) IN (${EXPIRED_USERS}) THEN 'anonymised' ELSE from_user END,
           answered_user_id = CASE WHEN (business_id, answered_user_id) IN (${EXPIRED_USERS}) THEN NULL ELSE answered_user_id END,
           answered_contact = CASE WHEN (business_id, answered_user_id) IN (${EXPIRED_USERS}) THEN NULL ELSE answered_contact END,
           answered_device = CASE WHEN (business_id, answered_user_id) IN (${EXPIRED_USERS}) THEN NULL ELSE answered_device END,
           target_user_ids = COALESCE((SELECT json_group_array(t.value) FROM json_each(calls.target_user_ids) t
                                        WHERE (calls.business_id, t.value) NOT IN (${EXPIRED_USERS})), '[]'),
           rang_user_ids = COALESCE((SELECT json_group_array(r.value) FROM json_each(calls.rang_user_ids) r
                                      WHERE (calls.business_id, r.value) NOT IN (${EXPIRED_USERS})), '[]')
         WHERE rowid IN (
           SELECT c.rowid FROM calls c
            WHERE (c.business_id, c.caller_user_id) IN (${EXPIRED_USERS})
               OR (c.business_id, c.answered_user_id) IN (${EXPIRED_USERS})
               OR EXISTS (SELECT 1 FROM json_each(c.target_user_ids) t WHERE (c.business_id, t.value) IN (${EXPIRED_USERS}))
               OR EXISTS (SELECT 1 FROM json_each(c.rang_user_ids) r WHERE (c.business_id, r.value) IN (${EXPIRED_USERS}))
            LIMIT ?2)`,
      )
      .bind(cutoff, CHUNK)
      .run()
      .then((r) => r.meta.changes),
  );
  return removed;
}

/** The daily retention sweeps for call records (docs/calls.md, "Retention"). */
export const callRetentionJobs: MaintenanceJob[] = [
  { name: 'calls_after_business_termination', run: (env, now) => deleteExpiredBusinessCalls(env.DB, now - CALLS_AFTER_TERMINATION_MS) },
  { name: 'calls_after_user_termination', run: (env, now) => anonymiseExpiredUsers(env.DB, now - CALLS_AFTER_TERMINATION_MS) },
];
