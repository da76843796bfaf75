import { Hono } from 'hono';
import type { InvitationInfo } from '../../shared/auth-api';
import { invitationRequest } from '../../shared/auth-api';
import { requireE164 } from '../accounts/phone-numbers';
import { audited } from '../admin/audit';
import { LIFETIMES } from '../auth/lifetimes';
import { requireAdmin } from '../auth/middleware';
import { sendEmailLater, sendSmsNow, texts } from '../auth/outbound';
import { newId, randomToken, sha256Hex } from '../auth/tokens';
import type { AppEnv } from '../platform/context';
import { Problem, problems } from '../platform/problem';
import { jsonBody } from '../platform/validate';

interface InvitationRow {
  id: string;
  email: string | null;
  mobile: string | null;
  name: string | null;
  role: 'user' | 'admin';
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  revoked_at: number | null;
}

function toInfo(row: InvitationRow, now: number): InvitationInfo {
  const status = row.accepted_at ? 'accepted' : row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'pending';
  return {
    id: row.id,
    email: row.email,
    mobile: row.mobile,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    status,
  };
}

/**
 * The admin's invitations: invite by email or mobile, list, revoke. Every
 * query is scoped to the admin's business; inviting and revoking are audited
 * in the same batch as the change.
 */
export const invitationAdminRoutes = new Hono<AppEnv>()
  .use(requireAdmin)
  .post('/', async (c) => {
    const auth = c.get('auth');
    const input = await jsonBody(c, invitationRequest);
    const business = await c.env.DB.prepare('SELECT name, country FROM businesses WHERE id = ?')
      .bind(auth.businessId)
      .first<{ name: string; country: string }>();
    if (!business) throw problems.unauthenticated();
    const mobile = input.mobile ? requireE164(input.mobile, business.country) : null;
    const email = input.email ?? null;
    // Only this business's own members are checked: whether the address
    // belongs to another business is none of this admin's business.
    const member = await c.env.DB.prepare('SELECT 1 FROM users WHERE business_id = ? AND (email = ? OR mobile = ?)')
      .bind(auth.businessId, email, mobile)
      .first();
    if (member)
      throw new Problem(
        409,
        'already_member',
        'Already in your business',
        'Someone in your business already has this email or mobile number.',
      );

    const token = randomToken();
    const now = Date.now();
    const row: InvitationRow = {
      id: newId('inv'),
      email,
      mobile,
      name: input.name ?? null,
      role: input.role,
      created_at: now,
      expires_at: now + LIFETIMES.invitation,
      accepted_at: null,
      revoked_at: null,
    };
    const db = c.env.DB;
    // The entry holds the role and the channels, not the address: the log shows whom by looking the invitation up.
    await audited(
      db,
      db
        .prepare(
          'INSERT INTO invitations (id, business_id, email, mobile, name, role, token_hash, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .bind(row.id, auth.businessId, email, mobile, row.name, row.role, await sha256Hex(token), auth.userId, now, row.expires_at),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'invitation.send',
        target: { type: 'invitation', id: row.id },
        before: {},
        after: { status: 'pending', role: row.role, via: [...(email ? ['email'] : []), ...(mobile ? ['mobile'] : [])] },
      },
      { now },
    );
    if (email) sendEmailLater(c, { to: email, ...texts.invitation(c.env.APP_ORIGIN, business.name, token) });
    if (mobile) await sendSmsNow(c, mobile, texts.phoneInvitation(business.name, c.env.APP_ORIGIN));
    return c.json(toInfo(row, now), 201);
  })
  .get('/', async (c) => {
    const { results } = await c.env.DB.prepare(
      'SELECT id, email, mobile, name, role, created_at, expires_at, accepted_at, revoked_at FROM invitations WHERE business_id = ? ORDER BY created_at DESC LIMIT 500',
    )
      .bind(c.get('auth').businessId)
      .all<InvitationRow>();
    const now = Date.now();
    return c.json({ invitations: results.map((r) => toInfo(r, now)) });
  })
  // An expired invitation can be revoked too (its entry says it had expired); an accepted one cannot.
  .delete('/:id', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const id = c.req.param('id');
    const open = await db
      .prepare('SELECT expires_at FROM invitations WHERE id = ? AND business_id = ? AND accepted_at IS NULL AND revoked_at IS NULL')
      .bind(id, auth.businessId)
      .first<{ expires_at: number }>();
    if (!open) throw problems.notFound('pending invitation');
    const now = Date.now();
    // The WHERE restates the check above: accepted or revoked meanwhile, nothing happens (a 404).
    await audited(
      db,
      db
        .prepare('UPDATE invitations SET revoked_at = ? WHERE id = ? AND business_id = ? AND accepted_at IS NULL AND revoked_at IS NULL')
        .bind(now, id, auth.businessId),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'invitation.revoke',
        target: { type: 'invitation', id },
        before: { status: open.expires_at <= now ? 'expired' : 'pending' },
        after: { status: 'revoked' },
      },
      { now, onNoChange: () => problems.notFound('pending invitation') },
    );
    return c.body(null, 204);
  });
