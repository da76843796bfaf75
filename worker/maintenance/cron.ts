import type { Logger } from '../platform/log';

/** One maintenance job run by the daily cron (retention sweeps, closing stale state). */
export interface MaintenanceJob {
  name: string;
  run(env: Env, now: number): Promise<number>;
}

/**
 * Runs every job; one failing job does not stop the others. Returns rows
 * affected per job so that the run can be logged and tested.
 */
export async function runMaintenance(env: Env, now: number, jobs: MaintenanceJob[], log: Logger): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
  for (const job of jobs) {
    try {
      results[job.name] = await job.run(env, now);
    } catch (err) {
      results[job.name] = -1;
      log('error', 'maintenance job failed', { job: job.name, error: String(err) });
    }
  }
  log('info', 'maintenance done', { results });
  return results;
}

/** A job that deletes with one statement whose only parameter is the cutoff (`now - keepMs`), reporting how many rows went. */
export function deletionJob(name: string, sql: string, keepMs: number): MaintenanceJob {
  return {
    name,
    run: async (env, now) =>
      (
        await env.DB.prepare(sql)
          .bind(now - keepMs)
          .run()
      ).meta.changes,
  };
}
