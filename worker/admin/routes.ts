import { Hono } from 'hono';
import { requireAdmin } from '../auth/middleware';
import type { AppEnv } from '../platform/context';
import { adminAuditRoutes } from './audit-routes';
import { adminExtensionRoutes } from './extension-routes';
import { adminLicenceRoutes } from './licence-routes';
import { adminNumberRoutes } from './number-routes';
import { adminOverrideRoutes } from './override-routes';
import { adminPlanRoutes } from './plan-routes';
import { adminRecordingRoutes } from './recording-routes';
import { adminUserRoutes } from './user-routes';

/**
 * The admin's settings API, mounted at `/api/admin`. `requireAdmin` is here,
 * once, in front of every route below: the feature files do not repeat it,
 * so mount them only through this app. (Invitations and alerts have their own
 * mounts, registered before this one.)
 */
export const adminRoutes = new Hono<AppEnv>()
  .use(requireAdmin)
  .route('/users', adminUserRoutes)
  .route('/users', adminOverrideRoutes)
  .route('/users', adminExtensionRoutes)
  .route('/', adminLicenceRoutes)
  .route('/numbers', adminNumberRoutes)
  .route('/plan', adminPlanRoutes)
  .route('/', adminRecordingRoutes)
  .route('/audit', adminAuditRoutes);
