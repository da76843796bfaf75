import type { MaintenanceJob } from '../maintenance/cron';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Sign-in leftovers deleted once they can no longer be used: sessions a
 * month after they ended (kept that long so "sign out everywhere" stays
 * explainable), codes, links and the trial registry past its year.
 */
export const authRetentionJobs: MaintenanceJob[] = [
  {
    name: 'sessions',
    run: async (env, now) =>
      (
        await env.DB.prepare(
          'DELETE FROM sessions WHERE MIN(COALESCE(revoked_at, absolute_expires_at), idle_expires_at, absolute_expires_at) < ?',
        )
          .bind(now - 30 * DAY)
          .run()
      ).meta.changes,
  },
  {
    name: 'one_time_codes',
    run: async (env, now) =>
      (
        await env.DB.prepare('DELETE FROM one_time_codes WHERE expires_at < ?')
          .bind(now - DAY)
          .run()
      ).meta.changes,
  },
  {
    name: 'password_resets',
    run: async (env, now) =>
      (
        await env.DB.prepare('DELETE FROM password_resets WHERE expires_at < ?')
          .bind(now - DAY)
          .run()
      ).meta.changes,
  },
  {
    name: 'pending_signups',
    run: async (env, now) =>
      (
        await env.DB.prepare('DELETE FROM pending_signups WHERE expires_at < ?')
          .bind(now - DAY)
          .run()
      ).meta.changes,
  },
  {
    name: 'trial_registry',
    run: async (env, now) => (await env.DB.prepare('DELETE FROM trial_registry WHERE expires_at < ?').bind(now).run()).meta.changes,
  },
  {
    name: 'dev_outbox',
    run: async (env, now) =>
      (
        await env.DB.prepare('DELETE FROM dev_outbox WHERE created_at < ?')
          .bind(now - 7 * DAY)
          .run()
      ).meta.changes,
  },
];
