import { Hono } from 'hono';
import { extensionRequest } from '../../shared/admin-api';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';
import { jsonBody } from '../platform/validate';
import { audited, isUniqueViolation } from './audit';
import { assertNotTerminated, loadUser } from './users';

const extensionTaken = (extension: string) =>
  new Problem(409, 'extension_taken', 'Extension in use', `Someone in your business already has extension ${extension}.`, [
    { field: 'extension', code: 'extension_taken', message: `Extension ${extension} is taken; choose another.` },
  ]);

/** A user's extension: set (unique in the business, 409 `extension_taken`) or clear. */
export const adminExtensionRoutes = new Hono<AppEnv>()
  .patch('/:id/extension', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const { extension } = await jsonBody(c, extensionRequest);
    const user = await loadUser(db, auth.businessId, c.req.param('id'), auth.userId);
    assertNotTerminated(user);
    if (user.extension === extension) return c.json(user);
    const now = Date.now();
    try {
      await audited(
        db,
        // The primary key (business_id, extension) refuses a colleague's extension; the upsert replaces the user's own.
        db
          .prepare(
            `INSERT INTO extensions (business_id, extension, user_id, created_at)
             SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM users WHERE business_id = ?1 AND id = ?3 AND status != 'terminated')
             ON CONFLICT (business_id, user_id) DO UPDATE SET extension = excluded.extension, created_at = excluded.created_at`,
          )
          .bind(auth.businessId, extension, user.id, now),
        {
          businessId: auth.businessId,
          actorId: auth.userId,
          action: 'user.extension',
          target: { type: 'user', id: user.id },
          before: { extension: user.extension },
          after: { extension },
        },
        { now },
      );
    } catch (err) {
      if (isUniqueViolation(err, 'extensions')) throw extensionTaken(extension);
      throw err;
    }
    return c.json(await loadUser(db, auth.businessId, user.id, auth.userId));
  })
  .delete('/:id/extension', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const user = await loadUser(db, auth.businessId, c.req.param('id'), auth.userId);
    if (!user.extension) return c.body(null, 204);
    await audited(
      db,
      db
        .prepare('DELETE FROM extensions WHERE business_id = ? AND user_id = ? AND extension = ?')
        .bind(auth.businessId, user.id, user.extension),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'user.extension',
        target: { type: 'user', id: user.id },
        before: { extension: user.extension },
        after: { extension: null },
      },
    );
    return c.body(null, 204);
  });
