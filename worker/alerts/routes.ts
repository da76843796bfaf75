import { Hono } from 'hono';
import { requireAdmin } from '../auth/middleware';
import type { AppEnv } from '../platform/context';

/** The admin's alerts (an empty number pool now; fraud later), newest first, this business only. */
export const alertRoutes = new Hono<AppEnv>().use(requireAdmin).get('/', async (c) => {
  const { results } = await c.env.DB.prepare(
    'SELECT id, kind, message, created_at AS createdAt, resolved_at AS resolvedAt FROM alerts WHERE business_id = ? ORDER BY created_at DESC LIMIT 200',
  )
    .bind(c.get('auth').businessId)
    .all();
  return c.json({ alerts: results });
});
