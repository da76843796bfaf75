import { takeFreeSeat } from '../admin/licences';
import { LIFETIMES } from '../auth/lifetimes';
import { newId } from '../auth/tokens';
import { Problem } from '../platform/problem';
import { recordTrial } from './trials';

/** Seats a free trial comes with, so the first admin and a few colleagues can call at once. */
export const TRIAL_SEATS = 5;

export interface NewBusiness {
  businessName: string;
  country: string;
  admin: { name: string; email: string | null; mobile: string | null; passwordHash: string | null };
}

/**
 * Creates a trial business and its first admin, and remembers the trial, in
 * one D1 batch (a transaction): all of it or none. `extra` statements (a
 * pending sign-up marked used) join the same transaction.
 */
export async function createTrialBusiness(
  env: Env,
  input: NewBusiness,
  extra: D1PreparedStatement[] = [],
): Promise<{ businessId: string; userId: string }> {
  const now = Date.now();
  const businessId = newId('biz');
  const userId = newId('usr');
  const identities = [
    ...(input.admin.email ? [{ kind: 'email' as const, value: input.admin.email }] : []),
    ...(input.admin.mobile ? [{ kind: 'phone' as const, value: input.admin.mobile }] : []),
  ];
  const statements = [
    env.DB.prepare(
      "INSERT INTO businesses (id, name, country, plan, status, trial_ends_at, seats, created_at) VALUES (?, ?, ?, 'licensed', 'trial', ?, ?, ?)",
    ).bind(businessId, input.businessName, input.country, now + LIFETIMES.trial, TRIAL_SEATS, now),
    env.DB.prepare(
      "INSERT INTO users (id, business_id, name, email, mobile, role, status, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'admin', 'active', ?, ?, ?)",
    ).bind(userId, businessId, input.admin.name, input.admin.email, input.admin.mobile, input.admin.passwordHash, now, now),
    takeFreeSeat(env.DB, businessId, userId, now),
    ...(await recordTrial(env, identities, now)),
    ...extra,
  ];
  try {
    await env.DB.batch(statements);
  } catch (err) {
    if (String(err).includes('UNIQUE')) {
      throw new Problem(
        409,
        'account_exists',
        'This account already exists',
        'An account with these details exists already. Sign in instead.',
      );
    }
    throw err;
  }
  return { businessId, userId };
}
