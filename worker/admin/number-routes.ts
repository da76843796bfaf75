import { Hono } from 'hono';
import { numberAssignRequest } from '../../shared/admin-api';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';
import { jsonBody } from '../platform/validate';
import { audited, changedMeanwhile } from './audit';
import { listNumbers, loadNumber } from './numbers';
import { assertNotTerminated, loadUser } from './users';

const numberTaken = (e164: string, holder: string) =>
  new Problem(409, 'number_taken', 'Number in use', `${e164} is ${holder}'s number. Unassign it from them first.`);

/**
 * The business's number pool: list, assign a number to a user, unassign it.
 * A user holds at most one number (UNIQUE assigned_user_id), so assigning
 * another moves them onto it and their old one goes back to the pool.
 */
export const adminNumberRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ numbers: await listNumbers(c.env.DB, c.get('auth').businessId) });
  })
  .post('/:id/assignment', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const { userId } = await jsonBody(c, numberAssignRequest);
    const number = await loadNumber(db, auth.businessId, c.req.param('id'));
    const user = await loadUser(db, auth.businessId, userId, auth.userId);
    assertNotTerminated(user);
    if (number.assignedTo?.id === user.id) return c.json(number);
    if (number.assignedTo) throw numberTaken(number.e164, number.assignedTo.name);
    await audited(
      db,
      db
        .prepare(
          `UPDATE numbers SET assigned_user_id = ?1
              WHERE business_id = ?2 AND id = ?3 AND assigned_user_id IS NULL
                AND EXISTS (SELECT 1 FROM users WHERE business_id = ?2 AND id = ?1 AND status != 'terminated')`,
        )
        .bind(user.id, auth.businessId, number.id),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'number.assign',
        target: { type: 'user', id: user.id },
        before: { numberId: user.number?.id ?? null, e164: user.number?.e164 ?? null },
        after: { numberId: number.id, e164: number.e164 },
      },
      {
        // Before the new number is taken, so that UNIQUE(assigned_user_id) holds at every statement.
        first: [
          db
            .prepare('UPDATE numbers SET assigned_user_id = NULL WHERE business_id = ? AND assigned_user_id = ?')
            .bind(auth.businessId, user.id),
        ],
        onNoChange: async () => {
          const latest = await loadNumber(db, auth.businessId, number.id);
          return latest.assignedTo ? numberTaken(latest.e164, latest.assignedTo.name) : changedMeanwhile();
        },
      },
    );
    return c.json(await loadNumber(db, auth.businessId, number.id));
  })
  // Back to the pool. The user gets a free pool number at their next sign-in
  // (as every user does), unless the admin gives them one first.
  .delete('/:id/assignment', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const number = await loadNumber(db, auth.businessId, c.req.param('id'));
    if (!number.assignedTo) return c.body(null, 204);
    await audited(
      db,
      db
        .prepare('UPDATE numbers SET assigned_user_id = NULL WHERE business_id = ? AND id = ? AND assigned_user_id = ?')
        .bind(auth.businessId, number.id, number.assignedTo.id),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'number.unassign',
        target: { type: 'user', id: number.assignedTo.id },
        before: { numberId: number.id, e164: number.e164 },
        after: { numberId: null, e164: null },
      },
    );
    return c.body(null, 204);
  });
