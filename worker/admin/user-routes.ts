import { Hono } from 'hono';
import { roleChangeRequest, userListQuery } from '../../shared/admin-api';
import { revokeUserSessions } from '../auth/sessions';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';
import { jsonBody, queryParams } from '../platform/validate';
import { audited } from './audit';
import { loadBusiness } from './business';
import { assertNotTerminated, hasAnotherActiveAdmin, lastAdmin, listUsers, loadUser, NOT_LAST_ACTIVE_ADMIN } from './users';

const notYourself = (what: string) =>
  new Problem(409, 'not_yourself', `You cannot ${what} yourself`, `Ask another admin to ${what} your account.`);

const notActive = (name: string) => new Problem(409, 'not_active', 'Not active', `${name} is not active, so cannot be suspended.`);
const notSuspended = (name: string) => new Problem(409, 'not_suspended', 'Not suspended', `${name} is not suspended.`);

/**
 * The admin's users: list and search, role, suspend, reactivate, terminate.
 * Behind `requireAdmin` (see routes.ts). Every statement is scoped by the
 * admin's business; a user id from another business is a 404.
 */
export const adminUserRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const auth = c.get('auth');
    const query = queryParams(c, userListQuery);
    const business = await loadBusiness(c.env.DB, auth.businessId);
    c.header('Cache-Control', 'no-store');
    return c.json({ users: await listUsers(c.env.DB, auth.businessId, auth.userId, query, business.country) });
  })
  .get('/:id', async (c) => {
    const auth = c.get('auth');
    c.header('Cache-Control', 'no-store');
    return c.json(await loadUser(c.env.DB, auth.businessId, c.req.param('id'), auth.userId));
  })
  // The role: an admin may demote themselves, but never the last active admin.
  .patch('/:id', async (c) => {
    const auth = c.get('auth');
    const { role } = await jsonBody(c, roleChangeRequest);
    const db = c.env.DB;
    const user = await loadUser(db, auth.businessId, c.req.param('id'), auth.userId);
    assertNotTerminated(user);
    if (user.role === role) return c.json(user);
    if (role === 'user' && user.status === 'active' && !(await hasAnotherActiveAdmin(db, auth.businessId, user.id))) throw lastAdmin();
    const now = Date.now();
    await audited(
      db,
      db
        .prepare(
          `UPDATE users SET role = ?1, updated_at = ?2
            WHERE business_id = ?3 AND id = ?4 AND role = ?5 AND status != 'terminated' AND (?1 = 'admin' OR ${NOT_LAST_ACTIVE_ADMIN})`,
        )
        .bind(role, now, auth.businessId, user.id, user.role),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'user.role',
        target: { type: 'user', id: user.id },
        before: { role: user.role },
        after: { role },
      },
      { now },
    );
    return c.json(await loadUser(db, auth.businessId, user.id, auth.userId));
  })
  // Suspended: refused at sign-in and on every request (the session check
  // reads the status), and signed out everywhere now. Keeps their number,
  // extension and seat for when they come back.
  .post('/:id/suspend', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const user = await loadUser(db, auth.businessId, c.req.param('id'), auth.userId);
    if (user.you) throw notYourself('suspend');
    if (user.status !== 'active') throw notActive(user.name);
    const now = Date.now();
    await audited(
      db,
      db
        .prepare(
          `UPDATE users SET status = 'suspended', updated_at = ?1
            WHERE business_id = ?2 AND id = ?3 AND id != ?4 AND status = 'active' AND ${NOT_LAST_ACTIVE_ADMIN}`,
        )
        .bind(now, auth.businessId, user.id, auth.userId),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'user.suspend',
        target: { type: 'user', id: user.id },
        before: { status: 'active' },
        after: { status: 'suspended' },
      },
      { now, consequences: [revokeUserSessions(db, auth.businessId, user.id)] },
    );
    return c.json(await loadUser(db, auth.businessId, user.id, auth.userId));
  })
  .post('/:id/reactivate', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const user = await loadUser(db, auth.businessId, c.req.param('id'), auth.userId);
    assertNotTerminated(user);
    if (user.status !== 'suspended') throw notSuspended(user.name);
    const now = Date.now();
    await audited(
      db,
      db
        .prepare("UPDATE users SET status = 'active', updated_at = ?1 WHERE business_id = ?2 AND id = ?3 AND status = 'suspended'")
        .bind(now, auth.businessId, user.id),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'user.reactivate',
        target: { type: 'user', id: user.id },
        before: { status: 'suspended' },
        after: { status: 'active' },
      },
      { now },
    );
    return c.json(await loadUser(db, auth.businessId, user.id, auth.userId));
  })
  // Terminated: final. Starts the privacy retention clock (terminated_at);
  // signed out everywhere; their number goes back to the pool and their
  // extension, override and seat are freed for someone else.
  .post('/:id/terminate', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const user = await loadUser(db, auth.businessId, c.req.param('id'), auth.userId);
    if (user.you) throw notYourself('terminate');
    assertNotTerminated(user);
    const now = Date.now();
    const scope = [auth.businessId, user.id] as const;
    await audited(
      db,
      db
        .prepare(
          `UPDATE users SET status = 'terminated', terminated_at = ?1, override_number_id = NULL, updated_at = ?1
            WHERE business_id = ?2 AND id = ?3 AND id != ?4 AND status != 'terminated' AND ${NOT_LAST_ACTIVE_ADMIN}`,
        )
        .bind(now, ...scope, auth.userId),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'user.terminate',
        target: { type: 'user', id: user.id },
        before: {
          status: user.status,
          numberId: user.number?.id ?? null,
          overrideNumberId: user.override?.id ?? null,
          extension: user.extension,
          licence: user.licence,
        },
        after: { status: 'terminated', terminatedAt: now, numberId: null, overrideNumberId: null, extension: null, licence: null },
      },
      {
        now,
        consequences: [
          db.prepare('UPDATE numbers SET assigned_user_id = NULL WHERE business_id = ? AND assigned_user_id = ?').bind(...scope),
          db.prepare('DELETE FROM extensions WHERE business_id = ? AND user_id = ?').bind(...scope),
          db.prepare('DELETE FROM user_licences WHERE business_id = ? AND user_id = ?').bind(...scope),
          revokeUserSessions(db, ...scope),
        ],
      },
    );
    return c.json(await loadUser(db, auth.businessId, user.id, auth.userId));
  });
