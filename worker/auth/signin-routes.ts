import { Hono } from 'hono';
import { signInRequest } from '../../shared/auth-api';
import { clientAddress } from '../abuse/client-address';
import { assertNotLocked, consume, lockedOut, recordFailure, recordSuccess } from '../abuse/limits';
import { loadMe } from '../accounts/me';
import { ensureNumber } from '../accounts/number-pool';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';
import { jsonBody } from '../platform/validate';
import { hashPassword, needsRehash, verifyPassword } from './password';
import { startSession } from './sessions';

interface UserRow {
  id: string;
  business_id: string;
  status: string;
  business_status: string;
  password_hash: string | null;
}

/** Checked when the email is unknown, so that a miss takes as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

export const invalidCredentials = () =>
  new Problem(401, 'invalid_credentials', 'Email or password is incorrect', 'Check them and try again, or reset your password.');

/** Refuses a user or business that may not sign in, in words they can act on. */
export function assertMaySignIn(row: { status: string; business_status: string }): void {
  if (row.status !== 'active')
    throw new Problem(403, 'account_disabled', 'This account cannot sign in', 'Ask your business admin to reactivate it.');
  if (row.business_status !== 'trial' && row.business_status !== 'active') {
    throw new Problem(403, 'business_disabled', 'Your business account is not active', 'Your business admin can contact us to restore it.');
  }
}

/** Email and password sign-in, limited per account (lock-out) and per client address. */
export const signinRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const input = await jsonBody(c, signInRequest);
  await consume(c.env, 'signin_ip', clientAddress(c.req.raw));
  await assertNotLocked(c.env, 'signin_account', input.email);

  const user = await c.env.DB.prepare(
    `SELECT u.id, u.business_id, u.status, b.status AS business_status, u.password_hash
       FROM users u JOIN businesses b ON b.id = u.business_id WHERE u.email = ?`,
  )
    .bind(input.email)
    .first<UserRow>();
  decoyHash ??= hashPassword('decoy password for unknown accounts');
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash));
  if (!user?.password_hash || !ok) {
    const verdict = await recordFailure(c.env, 'signin_account', input.email);
    if (!verdict.allowed) throw lockedOut(verdict.retryAfterMs, 'sign-in with this email');
    throw invalidCredentials();
  }
  await recordSuccess(c.env, 'signin_account', input.email);
  assertMaySignIn(user);
  if (needsRehash(user.password_hash)) {
    await c.env.DB.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ? AND business_id = ?')
      .bind(await hashPassword(input.password), Date.now(), user.id, user.business_id)
      .run();
  }
  await ensureNumber(c.env.DB, user.business_id, user.id);
  await startSession(c, { id: user.id, businessId: user.business_id });
  return c.json(await loadMe(c.env.DB, user.business_id, user.id));
});
