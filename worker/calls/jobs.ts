import { deletionJob, type MaintenanceJob } from '../maintenance/cron';
import { rebuildCalls } from './rebuild';
import { callRetentionJobs } from './retention-jobs';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** A call the edge has said nothing final about for this long is closed from what is known. */
export const OPEN_CALL_MAX_AGE_MS = 6 * HOUR;
/** Events of calls with no record (routed while the Worker was down) are kept this long, then dropped. */
export const UNATTRIBUTED_EVENTS_KEEP_MS = 7 * DAY;
/** Raw events behind finished records: the record holds everything billing needs; these help with disputes. */
export const EVENTS_KEEP_MS = 90 * DAY;
/** Records closed per sweep run, in chunks, so one run stays within a Worker's limits. */
const SWEEP_CHUNK = 200;
const SWEEP_MAX = 20_000;

/** Closes calls left open (lost BYE, a crashed edge): the records' outcome comes from what the events said. */
export async function sweepOpenCalls(db: D1Database, now: number): Promise<number> {
  let closed = 0;
  while (closed < SWEEP_MAX) {
    const { results } = await db
      .prepare('SELECT call_id FROM calls WHERE (outcome IS NULL OR ended_at IS NULL) AND routed_at < ? LIMIT ?')
      .bind(now - OPEN_CALL_MAX_AGE_MS, SWEEP_CHUNK)
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

/** The daily jobs for call records. */
export const callMaintenanceJobs: MaintenanceJob[] = [
  { name: 'calls_open', run: (env, now) => sweepOpenCalls(env.DB, now) },
  deletionJob(
    'call_events_unattributed',
    'DELETE FROM call_events WHERE business_id IS NULL AND received_at < ?',
    UNATTRIBUTED_EVENTS_KEEP_MS,
  ),
  deletionJob('call_events_old', 'DELETE FROM call_events WHERE received_at < ?', EVENTS_KEEP_MS),
  ...callRetentionJobs,
];
