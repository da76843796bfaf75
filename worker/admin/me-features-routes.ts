import { Hono } from 'hono';
import { requireSession } from '../auth/middleware';
import type { AppEnv } from '../platform/context';
import { featuresFor } from './licences';

/**
 * `GET /api/me/features`: what the signed-in user's seat lets them use now.
 * The app hides what is off, and reads this again on a `licence_changed` live event.
 */
export const meFeatureRoutes = new Hono<AppEnv>().use(requireSession).get('/', async (c) => {
  const auth = c.get('auth');
  c.header('Cache-Control', 'no-store');
  return c.json(await featuresFor(c.env.DB, auth.businessId, auth.userId));
});
