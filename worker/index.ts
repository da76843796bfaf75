import { app } from './app';
import { OPEN_CALLS_CRON, openCallJobs } from './calls/jobs';
import { runMaintenance } from './maintenance/cron';
import { maintenanceJobs } from './maintenance/jobs';
import { requestLogger } from './platform/log';

export { AbuseGuard } from './abuse/guard';
export { LiveHub } from './live/hub';

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    // The frequent cron only closes calls left open; the daily one runs every job.
    const jobs = controller.cron === OPEN_CALLS_CRON ? openCallJobs : maintenanceJobs;
    ctx.waitUntil(runMaintenance(env, controller.scheduledTime, jobs, requestLogger(`cron-${controller.scheduledTime}`)));
  },
} satisfies ExportedHandler<Env>;
