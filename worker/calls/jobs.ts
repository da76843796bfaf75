import { deletionJob, type MaintenanceJob } from '../maintenance/cron';
import { rebuildCalls } from './rebuild';
import { callRetentionJobs } from './retention-jobs';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/**
 * How long a call may go without anything final from the edge before the
 * sweep closes it from what is known (docs/calls.md, "Missing events"). Not
 * answered: the edge gives up ringing within minutes (the Worker's ring time,
 * then voicemail or a failure), so an hour leaves room for events held up in
 * the agent's spool. Answered: the edge itself ends any dialog after 12 hours
 * (Kamailio's dialog lifetime, `edge/kamailio/kamailio.cfg`), so silence past
 * that means the end was lost. The sweep runs every 15 minutes
 * (`OPEN_CALLS_CRON`), so a record stays open at most that much longer.
 */
export const UNANSWERED_CALL_MAX_AGE_MS = HOUR;
export const ANSWERED_CALL_MAX_AGE_MS = 12 * HOUR + 15 * 60 * 1000;
/** Events of calls with no record (routed while the Worker was down) are kept this long, then dropped. */
export const UNATTRIBUTED_EVENTS_KEEP_MS = 7 * DAY;
/** Raw events behind finished records: the record holds everything billing needs; these help with disputes. */
export const EVENTS_KEEP_MS = 90 * DAY;
/** Records closed per sweep run, in chunks, so one run stays within a Worker's limits. */
const SWEEP_CHUNK = 200;
const SWEEP_MAX = 20_000;

/**
 * Closes calls left open (lost BYE, a crashed edge): the records' outcome
 * comes from what the events said, and `ended_by` says the sweep closed it,
 * so a late event rebuilds it closed (rebuild.ts) instead of reopening it.
 */
export async function sweepOpenCalls(db: D1Database, now: number): Promise<number> {
  let closed = 0;
  while (closed < SWEEP_MAX) {
    // Open means no outcome yet (not answered) or no end (answered, still talking); the first term is calls_open's.
    const { results } = await db
      .prepare(
        `SELECT call_id FROM calls
          WHERE (outcome IS NULL OR ended_at IS NULL) AND routed_at < ?1 AND (outcome IS NULL OR routed_at < ?2)
          LIMIT ?3`,
      )
      .bind(now - UNANSWERED_CALL_MAX_AGE_MS, now - ANSWERED_CALL_MAX_AGE_MS, SWEEP_CHUNK)
      .all<{ call_id: string }>();
    if (results.length === 0) break;
    await rebuildCalls(
      db,
      results.map((r) => r.call_id),
      now,
      now,
    );
    closed += results.length;
    if (results.length < SWEEP_CHUNK) break;
  }
  return closed;
}

/** The cron that runs only the sweep of open calls (wrangler.toml `[triggers]`); the daily one runs every job. */
export const OPEN_CALLS_CRON = '*/15 * * * *';

/** The sweep of open calls, alone: what `OPEN_CALLS_CRON` runs. */
export const openCallJobs: MaintenanceJob[] = [{ name: 'calls_open', run: (env, now) => sweepOpenCalls(env.DB, now) }];

/** The daily jobs for call records (the sweep too, in case the frequent cron is missed). */
export const callMaintenanceJobs: MaintenanceJob[] = [
  ...openCallJobs,
  deletionJob(
    'call_events_unattributed',
    'DELETE FROM call_events WHERE business_id IS NULL AND received_at < ?',
    UNATTRIBUTED_EVENTS_KEEP_MS,
  ),
  deletionJob('call_events_old', 'DELETE FROM call_events WHERE received_at < ?', EVENTS_KEEP_MS),
  ...callRetentionJobs,
];
