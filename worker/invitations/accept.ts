import { takeFreeSeat } from '../admin/licences';
import { newId } from '../auth/tokens';

interface PendingInvitation {
  id: string;
  business_id: string;
  name: string | null;
  role: 'user' | 'admin';
  email: string | null;
}

/**
 * Turns the newest pending invitation for a mobile number into a user of
 * the inviting business (the phone sign-in proved the number). Undefined
 * when no business invited it.
 */
export async function acceptPhoneInvitation(
  env: Env,
  mobile: string,
): Promise<{ id: string; business_id: string; status: string; business_status: string } | undefined> {
  const now = Date.now();
  const invitation = await env.DB.prepare(
    `SELECT i.id, i.business_id, i.name, i.role, i.email FROM invitations i JOIN businesses b ON b.id = i.business_id
      WHERE i.mobile = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ? AND b.status IN ('trial', 'active')
      ORDER BY i.created_at DESC LIMIT 1`,
  )
    .bind(mobile, now)
    .first<PendingInvitation>();
  if (!invitation) return undefined;
  const userId = await createInvitedUser(env, invitation, { mobile, email: null, name: invitation.name ?? mobile, passwordHash: null });
  return { id: userId, business_id: invitation.business_id, status: 'active', business_status: 'active' };
}

/**
 * Creates the invited user and marks the invitation accepted, in one batch;
 * the conditional update makes a second acceptance a no-op that fails the
 * UNIQUE email/mobile instead of creating a twin.
 */
export async function createInvitedUser(
  env: Env,
  invitation: PendingInvitation,
  person: { mobile: string | null; email: string | null; name: string; passwordHash: string | null },
): Promise<string> {
  const now = Date.now();
  const userId = newId('usr');
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO users (id, business_id, name, email, mobile, role, status, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)",
    ).bind(userId, invitation.business_id, person.name, person.email, person.mobile, invitation.role, person.passwordHash, now, now),
    env.DB.prepare('UPDATE invitations SET accepted_at = ?, accepted_user_id = ? WHERE id = ? AND accepted_at IS NULL').bind(
      now,
      userId,
      invitation.id,
    ),
    // A seat if one is free; otherwise the admin assigns one (the user can sign in either way).
    takeFreeSeat(env.DB, invitation.business_id, userId, now),
  ]);
  return userId;
}
