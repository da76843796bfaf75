import { Hono } from 'hono';
import { overrideRequest } from '../../shared/admin-api';
import type { AppEnv } from '../platform/context';
import { jsonBody } from '../platform/validate';
import { audited } from './audit';
import { loadNumber } from './numbers';
import { assertNotTerminated, loadUser } from './users';

/**
 * The override: a user's calls go out and come in on the business's main
 * number (or another of its numbers) instead of their own. Only this
 * business's numbers: another's number id is a 404, and the composite foreign
 * key refuses it again in the database.
 */
export const adminOverrideRoutes = new Hono<AppEnv>()
  .patch('/:id/override', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const { numberId } = await jsonBody(c, overrideRequest);
    const user = await loadUser(db, auth.businessId, c.req.param('id'), auth.userId);
    const number = await loadNumber(db, auth.businessId, numberId);
    assertNotTerminated(user);
    if (user.override?.id === number.id) return c.json(user);
    await audited(
      db,
      db
        .prepare(
          `UPDATE users SET override_number_id = ?1, updated_at = ?2
            WHERE business_id = ?3 AND id = ?4 AND status != 'terminated' AND override_number_id IS ?5`,
        )
        .bind(number.id, Date.now(), auth.businessId, user.id, user.override?.id ?? null),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'user.override',
        target: { type: 'user', id: user.id },
        before: { overrideNumberId: user.override?.id ?? null, e164: user.override?.e164 ?? null },
        after: { overrideNumberId: number.id, e164: number.e164 },
      },
    );
    return c.json(await loadUser(db, auth.businessId, user.id, auth.userId));
  })
  // Cleared: their calls use their own number again.
  .delete('/:id/override', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const user = await loadUser(db, auth.businessId, c.req.param('id'), auth.userId);
    if (!user.override) return c.body(null, 204);
    await audited(
      db,
      db
        .prepare('UPDATE users SET override_number_id = NULL, updated_at = ? WHERE business_id = ? AND id = ? AND override_number_id = ?')
        .bind(Date.now(), auth.businessId, user.id, user.override.id),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'user.override',
        target: { type: 'user', id: user.id },
        before: { overrideNumberId: user.override.id, e164: user.override.e164 },
        after: { overrideNumberId: null, e164: null },
      },
    );
    return c.body(null, 204);
  });
