import { Hono } from 'hono';
import { profileUpdateRequest } from '../../shared/auth-api';
import { loadMe } from '../accounts/me';
import { requireSession } from '../auth/middleware';
import type { AppEnv } from '../platform/context';
import { jsonBody } from '../platform/validate';

/**
 * The signed-in user's profile. Only the name is edited here: a new email
 * or mobile would need proving first, and the admin manages roles and numbers.
 */
export const meRoutes = new Hono<AppEnv>()
  .use(requireSession)
  .get('/', async (c) => {
    const auth = c.get('auth');
    c.header('Cache-Control', 'no-store');
    return c.json(await loadMe(c.env.DB, auth.businessId, auth.userId));
  })
  .patch('/', async (c) => {
    const auth = c.get('auth');
    const input = await jsonBody(c, profileUpdateRequest);
    await c.env.DB.prepare('UPDATE users SET name = ?, updated_at = ? WHERE id = ? AND business_id = ?')
      .bind(input.name, Date.now(), auth.userId, auth.businessId)
      .run();
    return c.json(await loadMe(c.env.DB, auth.businessId, auth.userId));
  });
