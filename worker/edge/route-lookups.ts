/** The queries behind a routing decision. Users and numbers are found platform-wide only by their unique keys; everything else is scoped by business. */

/** The caller of a call from a client, with what policy needs. */
export interface Caller {
  id: string;
  businessId: string;
  status: 'active' | 'suspended' | 'terminated';
  businessStatus: 'trial' | 'active' | 'suspended' | 'terminated';
  plan: 'licensed' | 'payg';
  country: string;
  /** The number calls go out on: the override if set, else the assigned one. */
  callerId: string | null;
}

interface CallerRow {
  id: string;
  business_id: string;
  status: Caller['status'];
  business_status: Caller['businessStatus'];
  plan: Caller['plan'];
  country: string;
  assigned: string | null;
  override: string | null;
}

/** The user placing a call, by their id (the credential's user, checked by Kamailio). */
export async function loadCaller(db: D1Database, userId: string): Promise<Caller | null> {
  const row = await db
    .prepare(
      `SELECT u.id, u.business_id, u.status, b.status AS business_status, b.plan, b.country,
              n.e164 AS assigned, o.e164 AS override
         FROM users u
         JOIN businesses b ON b.id = u.business_id
         LEFT JOIN numbers n ON n.business_id = u.business_id AND n.assigned_user_id = u.id
         LEFT JOIN numbers o ON o.business_id = u.business_id AND o.id = u.override_number_id
        WHERE u.id = ?`,
    )
    .bind(userId)
    .first<CallerRow>();
  if (!row) return null;
  return {
    id: row.id,
    businessId: row.business_id,
    status: row.status,
    businessStatus: row.business_status,
    plan: row.plan,
    country: row.country,
    callerId: row.override ?? row.assigned,
  };
}

/** An active user of this business, or null (whether they exist elsewhere is not this business's concern). */
export async function findActiveUser(db: D1Database, businessId: string, userId: string): Promise<string | null> {
  return db
    .prepare("SELECT id FROM users WHERE business_id = ? AND id = ? AND status = 'active'")
    .bind(businessId, userId)
    .first<string>('id');
}

/** One of the platform's numbers, with the state of the business that owns it. */
export interface OwnedNumber {
  id: string;
  businessId: string;
  businessStatus: Caller['businessStatus'];
}

/** The number's owner, if the platform has this number at all (E.164 is unique platform-wide). */
export async function findNumber(db: D1Database, e164: string): Promise<OwnedNumber | null> {
  const row = await db
    .prepare('SELECT n.id, n.business_id, b.status FROM numbers n JOIN businesses b ON b.id = n.business_id WHERE n.e164 = ?')
    .bind(e164)
    .first<{ id: string; business_id: string; status: OwnedNumber['businessStatus'] }>();
  return row ? { id: row.id, businessId: row.business_id, businessStatus: row.status } : null;
}

/**
 * Who a number rings: the active users who override their number with it,
 * and its assigned user unless they override with another one ("calls go out
 * and come in on that one instead").
 */
export async function usersForNumber(db: D1Database, number: OwnedNumber): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT u.id FROM users u
        WHERE u.business_id = ?1 AND u.status = 'active'
          AND (u.override_number_id = ?2
               OR (u.override_number_id IS NULL
                   AND u.id = (SELECT assigned_user_id FROM numbers WHERE business_id = ?1 AND id = ?2)))
        ORDER BY u.id`,
    )
    .bind(number.businessId, number.id)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}
