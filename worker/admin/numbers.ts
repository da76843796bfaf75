/** The business's numbers as the admin and the call routing decision see them. */
import type { AdminNumber } from '../../shared/admin-api';
import { problems } from '../platform/problem';

/**
 * The E.164 the phone network should see for this user's calls (and that
 * rings them): the admin's override if set, else their assigned number, else
 * null (no number: calls to the phone network cannot go out).
 */
export async function callerIdFor(db: D1Database, businessId: string, userId: string): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT COALESCE(o.e164, n.e164) AS e164
         FROM users u
         LEFT JOIN numbers o ON o.business_id = u.business_id AND o.id = u.override_number_id
         LEFT JOIN numbers n ON n.business_id = u.business_id AND n.assigned_user_id = u.id
        WHERE u.business_id = ? AND u.id = ?`,
    )
    .bind(businessId, userId)
    .first<{ e164: string | null }>();
  return row?.e164 ?? null;
}

interface NumberRow {
  id: string;
  e164: string;
  kind: 'pool' | 'main';
  assigned_user_id: string | null;
  assigned_name: string | null;
}

/** The business's numbers, main first, with who holds each and who calls on it by override. */
export async function listNumbers(db: D1Database, businessId: string): Promise<AdminNumber[]> {
  const [numbers, overrides] = await db.batch([
    db
      .prepare(
        `SELECT n.id, n.e164, n.kind, n.assigned_user_id, u.name AS assigned_name
           FROM numbers n LEFT JOIN users u ON u.business_id = n.business_id AND u.id = n.assigned_user_id
          WHERE n.business_id = ? ORDER BY n.kind = 'main' DESC, n.e164`,
      )
      .bind(businessId),
    db
      .prepare(
        "SELECT id, name, override_number_id FROM users WHERE business_id = ? AND override_number_id IS NOT NULL AND status != 'terminated' ORDER BY name",
      )
      .bind(businessId),
  ]);
  const byNumber = new Map<string, { id: string; name: string }[]>();
  for (const u of (overrides?.results ?? []) as { id: string; name: string; override_number_id: string }[]) {
    byNumber.set(u.override_number_id, [...(byNumber.get(u.override_number_id) ?? []), { id: u.id, name: u.name }]);
  }
  return ((numbers?.results ?? []) as unknown as NumberRow[]).map((n) => ({
    id: n.id,
    e164: n.e164,
    kind: n.kind,
    assignedTo: n.assigned_user_id ? { id: n.assigned_user_id, name: n.assigned_name ?? '' } : null,
    overrideFor: byNumber.get(n.id) ?? [],
  }));
}

/** One of this business's numbers; another business's number id is a 404, as if it did not exist. */
export async function loadNumber(db: D1Database, businessId: string, numberId: string): Promise<AdminNumber> {
  const row = await db
    .prepare(
      `SELECT n.id, n.e164, n.kind, n.assigned_user_id, u.name AS assigned_name
         FROM numbers n LEFT JOIN users u ON u.business_id = n.business_id AND u.id = n.assigned_user_id
        WHERE n.business_id = ? AND n.id = ?`,
    )
    .bind(businessId, numberId)
    .first<NumberRow>();
  if (!row) throw problems.notFound('number');
  return {
    id: row.id,
    e164: row.e164,
    kind: row.kind,
    assignedTo: row.assigned_user_id ? { id: row.assigned_user_id, name: row.assigned_name ?? '' } : null,
    overrideFor: [],
  };
}
