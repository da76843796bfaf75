import { Hono } from 'hono';
import type { InvitationPreview } from '../../shared/auth-api';
import { invitationAcceptRequest } from '../../shared/auth-api';
import { clientAddress } from '../abuse/client-address';
import { consume } from '../abuse/limits';
import { loadMe } from '../accounts/me';
import { ensureNumber } from '../accounts/number-pool';
import { hashPassword } from '../auth/password';
import { assertAcceptablePassword } from '../auth/password-policy';
import { startSession } from '../auth/sessions';
import { sha256Hex } from '../auth/tokens';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';
import { jsonBody } from '../platform/validate';
import { createInvitedUser } from './accept';

interface OpenInvitation {
  id: string;
  business_id: string;
  business_name: string;
  email: string | null;
  name: string | null;
  role: 'user' | 'admin';
  expires_at: number;
}

const invalidLink = () =>
  new Problem(404, 'link_invalid', 'This invitation has expired or was already used', 'Ask your admin for a new invitation.');

async function openInvitation(c: { env: Env; req: { raw: Request } }, token: string): Promise<OpenInvitation> {
  await consume(c.env, 'token_ip', clientAddress(c.req.raw));
  const row = await c.env.DB.prepare(
    `SELECT i.id, i.business_id, b.name AS business_name, i.email, i.name, i.role, i.expires_at
       FROM invitations i JOIN businesses b ON b.id = i.business_id
      WHERE i.token_hash = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ? AND b.status IN ('trial', 'active')`,
  )
    .bind(await sha256Hex(token), Date.now())
    .first<OpenInvitation>();
  if (!row) throw invalidLink();
  return row;
}

/** What the emailed invitation link opens: a preview, then acceptance with a password. */
export const invitationPublicRoutes = new Hono<AppEnv>()
  .get('/:token', async (c) => {
    const row = await openInvitation(c, c.req.param('token'));
    const preview: InvitationPreview = { businessName: row.business_name, email: row.email, name: row.name, expiresAt: row.expires_at };
    return c.json(preview);
  })
  .post('/accept', async (c) => {
    const input = await jsonBody(c, invitationAcceptRequest);
    const row = await openInvitation(c, input.token);
    if (!row.email)
      throw new Problem(409, 'use_phone_sign_in', 'Accept this invitation by phone', 'Sign in with the invited mobile number instead.');
    assertAcceptablePassword(input.password, 'password', [row.email, input.name]);
    let userId: string;
    try {
      userId = await createInvitedUser(c.env, row, {
        email: row.email,
        mobile: null,
        name: input.name,
        passwordHash: await hashPassword(input.password),
      });
    } catch (err) {
      if (String(err).includes('UNIQUE')) {
        throw new Problem(
          409,
          'account_exists',
          'This email already has an account',
          'Sign in with it, or ask your admin to invite another address.',
        );
      }
      throw err;
    }
    await ensureNumber(c.env.DB, row.business_id, userId);
    await startSession(c, { id: userId, businessId: row.business_id });
    return c.json(await loadMe(c.env.DB, row.business_id, userId), 201);
  });
