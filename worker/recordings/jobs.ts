import type { MaintenanceJob } from '../maintenance/cron';
import { deleteRecordingsWhere } from './store';

const DAY = 24 * 60 * 60 * 1000;

/** An upload still unfinished after this long was abandoned (the edge retries within minutes): its row and any partial object go. */
export const ABANDONED_UPLOAD_MS = DAY;
/**
 * Recordings are kept one month after their business is terminated, like
 * voicemail messages (PRODUCT.md, retention), not 84 months like call
 * records: those are kept for billing queries, which a recording of the
 * conversation does not serve. While the business is active, recordings stay
 * until an admin deletes them.
 */
export const RECORDINGS_AFTER_TERMINATION_MS = 30 * DAY;

/** The daily sweeps for recordings (R2 objects first, then rows). */
export const recordingMaintenanceJobs: MaintenanceJob[] = [
  {
    name: 'recordings_abandoned_uploads',
    run: (env, now) => deleteRecordingsWhere(env, "state = 'uploading' AND updated_at < ?", [now - ABANDONED_UPLOAD_MS]),
  },
  {
    name: 'recordings_after_termination',
    run: (env, now) =>
      deleteRecordingsWhere(env, 'business_id IN (SELECT id FROM businesses WHERE terminated_at < ?)', [
        now - RECORDINGS_AFTER_TERMINATION_MS,
      ]),
  },
];
