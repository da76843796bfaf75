import { Hono } from 'hono';
import { passwordChangeRequest, passwordResetComplete, passwordResetRequest } from '../../shared/auth-api';
import { clientAddress } from '../abuse/client-address';
import { assertNotLocked, consume, lockedOut, recordFailure, recordSuccess } from '../abuse/limits';
import { loadMe } from '../accounts/me';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';
import { jsonBody } from '../platform/validate';
import { LIFETIMES } from './lifetimes';
import { requireSession } from './middleware';
import { sendEmailLater, texts } from './outbound';
import { hashPassword, verifyPassword } from './password';
import { assertAcceptablePassword } from './password-policy';
import { revokeUserSessions, startSession } from './sessions';
import { newId, randomToken, sha256Hex } from './tokens';

/** Change (signed in, revokes the other sessions) and reset by an emailed link. */
export const passwordRoutes = new Hono<AppEnv>()
  .post('/password', requireSession, async (c) => {
    const auth = c.get('auth');
    const input = await jsonBody(c, passwordChangeRequest);
    const user = await c.env.DB.prepare('SELECT email, name, password_hash FROM users WHERE id = ? AND business_id = ?')
      .bind(auth.userId, auth.businessId)
      .first<{ email: string | null; name: string; password_hash: string | null }>();
    if (!user) throw new Problem(404, 'not_found', 'Not found');
    const lockKey = user.email ?? auth.userId;
    await assertNotLocked(c.env, 'signin_account', lockKey);
    // A phone-only account has no password yet: it may set one without the old.
    if (user.password_hash && !(await verifyPassword(input.currentPassword, user.password_hash))) {
      const verdict = await recordFailure(c.env, 'signin_account', lockKey);
      if (!verdict.allowed) throw lockedOut(verdict.retryAfterMs, 'password changes on this account');
      throw new Problem(422, 'validation_failed', 'Some fields are not valid', 'Correct the fields listed in errors.', [
        { field: 'currentPassword', code: 'wrong_password', message: 'This is not your current password.' },
      ]);
    }
    await recordSuccess(c.env, 'signin_account', lockKey);
    assertAcceptablePassword(input.newPassword, 'newPassword', [user.email, user.name]);
    await c.env.DB.batch([
      c.env.DB.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ? AND business_id = ?').bind(
        await hashPassword(input.newPassword),
        Date.now(),
        auth.userId,
        auth.businessId,
      ),
      revokeUserSessions(c.env.DB, auth.businessId, auth.userId, auth.sessionId),
    ]);
    return c.body(null, 204);
  })
  .post('/password-reset', async (c) => {
    const { email } = await jsonBody(c, passwordResetRequest);
    await consume(c.env, 'reset_ip', clientAddress(c.req.raw));
    await consume(c.env, 'reset_email', email);
    const user = await c.env.DB.prepare(
      "SELECT u.id, u.business_id FROM users u JOIN businesses b ON b.id = u.business_id WHERE u.email = ? AND u.status = 'active' AND b.status IN ('trial', 'active')",
    )
      .bind(email)
      .first<{ id: string; business_id: string }>();
    if (user) {
      const token = randomToken();
      const now = Date.now();
      await c.env.DB.prepare(
        'INSERT INTO password_resets (id, token_hash, business_id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
        .bind(newId('pwr'), await sha256Hex(token), user.business_id, user.id, now, now + LIFETIMES.passwordReset)
        .run();
      sendEmailLater(c, { to: email, ...texts.passwordReset(c.env.APP_ORIGIN, token) });
    }
    // The same answer either way: a reset never tells whether an account exists.
    return c.json({ status: 'check_email' as const }, 202);
  })
  .post('/password-reset/complete', async (c) => {
    const input = await jsonBody(c, passwordResetComplete);
    await consume(c.env, 'token_ip', clientAddress(c.req.raw));
    const now = Date.now();
    const reset = await c.env.DB.prepare(
      `SELECT r.id, r.business_id, r.user_id, u.email, u.name FROM password_resets r
         JOIN users u ON u.id = r.user_id AND u.business_id = r.business_id
        WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ? AND u.status = 'active'`,
    )
      .bind(await sha256Hex(input.token), now)
      .first<{ id: string; business_id: string; user_id: string; email: string | null; name: string }>();
    if (!reset) throw new Problem(404, 'link_invalid', 'This link has expired or was already used', 'Ask for a new password reset email.');
    assertAcceptablePassword(input.newPassword, 'newPassword', [reset.email, reset.name]);
    const used = await c.env.DB.batch([
      c.env.DB.prepare('UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL').bind(now, reset.id),
      // Only the request that just marked the link used may set the password (two racing clicks).
      c.env.DB.prepare(
        'UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ? AND business_id = ? AND EXISTS (SELECT 1 FROM password_resets WHERE id = ? AND used_at = ?)',
      ).bind(await hashPassword(input.newPassword), now, reset.user_id, reset.business_id, reset.id, now),
      revokeUserSessions(c.env.DB, reset.business_id, reset.user_id),
    ]);
    if (used[0]?.meta.changes === 0) throw new Problem(404, 'link_invalid', 'This link has expired or was already used');
    await startSession(c, { id: reset.user_id, businessId: reset.business_id });
    return c.json(await loadMe(c.env.DB, reset.business_id, reset.user_id));
  });
