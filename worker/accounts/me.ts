import type { BusinessNumber, Me } from '../../shared/auth-api';
import { problems } from '../platform/problem';
import { EMPTY_POOL_NOTICE } from './number-pool';

interface MeRow {
  user_id: string;
  user_name: string;
  email: string | null;
  mobile: string | null;
  role: Me['user']['role'];
  has_password: number;
  business_id: string;
  business_name: string;
  country: string;
  plan: Me['business']['plan'];
  status: Me['business']['status'];
  trial_ends_at: number | null;
  number_e164: string | null;
  number_kind: BusinessNumber['kind'] | null;
  override_e164: string | null;
  override_kind: BusinessNumber['kind'] | null;
}

/** The signed-in user's view of themselves, scoped by business. */
export async function loadMe(db: D1Database, businessId: string, userId: string): Promise<Me> {
  const row = await db
    .prepare(
      `SELECT u.id AS user_id, u.name AS user_name, u.email, u.mobile, u.role, u.password_hash IS NOT NULL AS has_password,
              b.id AS business_id, b.name AS business_name, b.country, b.plan, b.status, b.trial_ends_at,
              n.e164 AS number_e164, n.kind AS number_kind, o.e164 AS override_e164, o.kind AS override_kind
         FROM users u
         JOIN businesses b ON b.id = u.business_id
         LEFT JOIN numbers n ON n.business_id = u.business_id AND n.assigned_user_id = u.id
         LEFT JOIN numbers o ON o.business_id = u.business_id AND o.id = u.override_number_id
        WHERE u.business_id = ? AND u.id = ?`,
    )
    .bind(businessId, userId)
    .first<MeRow>();
  if (!row) throw problems.unauthenticated();
  const number = row.number_e164 && row.number_kind ? { e164: row.number_e164, kind: row.number_kind } : null;
  return {
    user: {
      id: row.user_id,
      name: row.user_name,
      email: row.email,
      mobile: row.mobile,
      role: row.role,
      hasPassword: row.has_password === 1,
    },
    business: {
      id: row.business_id,
      name: row.business_name,
      country: row.country,
      plan: row.plan,
      status: row.status,
      trialEndsAt: row.trial_ends_at,
    },
    number,
    overrideNumber: row.override_e164 && row.override_kind ? { e164: row.override_e164, kind: row.override_kind } : null,
    notice: number ? null : EMPTY_POOL_NOTICE,
  };
}
