import { Hono } from 'hono';
import { dndRequest } from '../../shared/presence-api';
import { requireSession } from '../auth/middleware';
import type { AppEnv } from '../platform/context';
import { problems } from '../platform/problem';
import { jsonBody } from '../platform/validate';
import { listColleagues } from './colleagues';
import { readDnd, writeDnd } from './dnd';

/**
 * `/api/me/dnd`: the caller's own do-not-disturb switch. D1 first (the call
 * routing decision reads it there), then the business's hub, which tells
 * every device of the business.
 */
export const dndRoutes = new Hono<AppEnv>()
  .use(requireSession)
  .get('/', async (c) => {
    const { businessId, userId } = c.get('auth');
    const status = await readDnd(c.env.DB, businessId, userId);
    if (!status) throw problems.unauthenticated();
    c.header('Cache-Control', 'no-store');
    return c.json(status);
  })
  .put('/', async (c) => {
    const { businessId, userId } = c.get('auth');
    const { on } = await jsonBody(c, dndRequest);
    const status = await writeDnd(c.env.DB, businessId, userId, on, Date.now());
    if (!status) throw problems.unauthenticated();
    try {
      // Always with what D1 now holds, so a notification lost earlier is made good by the next switch.
      await c.env.LIVE_HUB.getByName(businessId).setDoNotDisturb(userId, status.on, status.changedAt ?? 0);
    } catch (error) {
      // The switch is saved and routing obeys it; apps catch up when they reconnect.
      c.get('log')('error', 'live hub not told of a do-not-disturb change', { error: String(error) });
    }
    return c.json(status);
  });

/** `/api/presence`: what the colleagues list shows, scoped to the caller's business. */
export const presenceRoutes = new Hono<AppEnv>().use(requireSession).get('/colleagues', async (c) => {
  const { businessId, userId } = c.get('auth');
  const live = await c.env.LIVE_HUB.getByName(businessId).snapshot();
  c.header('Cache-Control', 'no-store');
  return c.json({ colleagues: await listColleagues(c.env.DB, businessId, userId, live) });
});
