import { Hono } from 'hono';
import { z } from 'zod';
import { signUpRequest } from '../../shared/auth-api';
import { clientAddress } from '../abuse/client-address';
import { consume } from '../abuse/limits';
import { createTrialBusiness } from '../accounts/create-business';
import { loadMe } from '../accounts/me';
import { ensureNumber } from '../accounts/number-pool';
import { assertTrialAvailable } from '../accounts/trials';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';
import { jsonBody } from '../platform/validate';
import { LIFETIMES } from './lifetimes';
import { sendEmailLater, texts } from './outbound';
import { hashPassword } from './password';
import { assertAcceptablePassword } from './password-policy';
import { startSession } from './sessions';
import { newId, randomToken, sha256Hex } from './tokens';

/**
 * Desktop sign-up in two steps: the form, then the emailed link. The answer
 * to the form is the same whether or not the email has an account, so
 * sign-up cannot be used to find out who is a customer.
 */
export const signupRoutes = new Hono<AppEnv>()
  .post('/', async (c) => {
    const input = await jsonBody(c, signUpRequest);
    await consume(c.env, 'signup_ip', clientAddress(c.req.raw));
    await consume(c.env, 'signup_email', input.email);
    assertAcceptablePassword(input.password, 'password', [input.email, input.name]);
    const country = input.country ?? ((c.req.raw.cf?.country as string | undefined) || 'GB');

    const existing = await c.env.DB.prepare('SELECT 1 FROM users WHERE email = ?').bind(input.email).first();
    if (existing) {
      sendEmailLater(c, { to: input.email, ...texts.alreadyRegistered(c.env.APP_ORIGIN) });
    } else {
      const token = randomToken();
      const now = Date.now();
      await c.env.DB.prepare(
        `INSERT INTO pending_signups (id, token_hash, email, name, business_name, country, password_hash, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
        .bind(
          newId('psu'),
          await sha256Hex(token),
          input.email,
          input.name,
          input.businessName,
          country,
          await hashPassword(input.password),
          now,
          now + LIFETIMES.signupLink,
        )
        .run();
      sendEmailLater(c, { to: input.email, ...texts.confirmSignup(c.env.APP_ORIGIN, token) });
    }
    return c.json({ status: 'check_email' as const }, 202);
  })
  .post('/confirm', async (c) => {
    const { token } = await jsonBody(c, z.object({ token: z.string().min(1).max(256) }));
    await consume(c.env, 'token_ip', clientAddress(c.req.raw));
    const now = Date.now();
    const pending = await c.env.DB.prepare(
      'SELECT id, email, name, business_name, country, password_hash FROM pending_signups WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
    )
      .bind(await sha256Hex(token), now)
      .first<{ id: string; email: string; name: string; business_name: string; country: string; password_hash: string }>();
    if (!pending)
      throw new Problem(
        404,
        'link_invalid',
        'This link has expired or was already used',
        'Sign up again, or sign in if you already confirmed.',
      );
    await assertTrialAvailable(c.env, [{ kind: 'email', value: pending.email }], now);

    const { businessId, userId } = await createTrialBusiness(
      c.env,
      {
        businessName: pending.business_name,
        country: pending.country,
        admin: { name: pending.name, email: pending.email, mobile: null, passwordHash: pending.password_hash },
      },
      [c.env.DB.prepare('UPDATE pending_signups SET used_at = ? WHERE id = ?').bind(now, pending.id)],
    );
    await ensureNumber(c.env.DB, businessId, userId);
    await startSession(c, { id: userId, businessId });
    return c.json(await loadMe(c.env.DB, businessId, userId), 201);
  });
