import { app } from './app';
import { runMaintenance } from './maintenance/cron';
import { maintenanceJobs } from './maintenance/jobs';
import { requestLogger } from './platform/log';

export { AbuseGuard } from './abuse/guard';
export { LiveHub } from './live/hub';

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runMaintenance(env, controller.scheduledTime, maintenanceJobs, requestLogger(`cron-${controller.scheduledTime}`)));
  },
} satisfies ExportedHandler<Env>;
