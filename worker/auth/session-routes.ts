import { Hono } from 'hono';
import type { SessionInfo } from '../../shared/auth-api';
import type { AppEnv } from '../platform/context';
import { problems } from '../platform/problem';
import { clearSessionCookie } from './cookies';
import { requireSession } from './middleware';
import { endSession, revokeUserSessions } from './sessions';

/** Sign out here, everywhere, or on one device; list my devices. */
// requireSession per route, not `.use()`: this app shares the /api/auth prefix
// with the public sign-in routes, and a prefix-wide middleware would guard them too.
export const sessionRoutes = new Hono<AppEnv>()
  .post('/signout', requireSession, async (c) => {
    await endSession(c, c.get('auth'));
    return c.body(null, 204);
  })
  .post('/signout-everywhere', requireSession, async (c) => {
    const auth = c.get('auth');
    await revokeUserSessions(c.env.DB, auth.businessId, auth.userId).run();
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .get('/sessions', requireSession, async (c) => {
    const auth = c.get('auth');
    const { results } = await c.env.DB.prepare(
      `SELECT id, device_label, created_at, last_seen_at FROM sessions
        WHERE business_id = ? AND user_id = ? AND revoked_at IS NULL AND idle_expires_at > ? AND absolute_expires_at > ?
        ORDER BY last_seen_at DESC`,
    )
      .bind(auth.businessId, auth.userId, Date.now(), Date.now())
      .all<{ id: string; device_label: string; created_at: number; last_seen_at: number }>();
    const sessions: SessionInfo[] = results.map((r) => ({
      id: r.id,
      deviceLabel: r.device_label,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      current: r.id === auth.sessionId,
    }));
    return c.json({ sessions });
  })
  .delete('/sessions/:id', requireSession, async (c) => {
    const auth = c.get('auth');
    // Scoped by business and user: another person's session is simply not found.
    const result = await c.env.DB.prepare(
      'UPDATE sessions SET revoked_at = ? WHERE id = ? AND business_id = ? AND user_id = ? AND revoked_at IS NULL',
    )
      .bind(Date.now(), c.req.param('id'), auth.businessId, auth.userId)
      .run();
    if (result.meta.changes === 0) throw problems.notFound('session');
    if (c.req.param('id') === auth.sessionId) clearSessionCookie(c);
    return c.body(null, 204);
  });
