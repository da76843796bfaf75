import { deletionJob, type MaintenanceJob } from '../maintenance/cron';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Sign-in leftovers deleted once they can no longer be used: sessions a
 * month after they ended (kept that long so "sign out everywhere" stays
 * explainable), codes, links and the trial registry past its year.
 */
export const authRetentionJobs: MaintenanceJob[] = [
  deletionJob(
    'sessions',
    'DELETE FROM sessions WHERE MIN(COALESCE(revoked_at, absolute_expires_at), idle_expires_at, absolute_expires_at) < ?',
    30 * DAY,
  ),
  deletionJob('one_time_codes', 'DELETE FROM one_time_codes WHERE expires_at < ?', DAY),
  deletionJob('password_resets', 'DELETE FROM password_resets WHERE expires_at < ?', DAY),
  deletionJob('pending_signups', 'DELETE FROM pending_signups WHERE expires_at < ?', DAY),
  deletionJob('trial_registry', 'DELETE FROM trial_registry WHERE expires_at < ?', 0),
  deletionJob('dev_outbox', 'DELETE FROM dev_outbox WHERE created_at < ?', 7 * DAY),
];
