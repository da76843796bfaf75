/** Reading a business's users for the admin, always scoped by the admin's business. */
import type { AdminUser, Features, UserListQuery, UserStatus } from '../../shared/admin-api';
import { toE164 } from '../accounts/phone-numbers';
import { Problem, problems } from '../platform/problem';

interface UserRow {
  id: string;
  name: string;
  email: string | null;
  mobile: string | null;
  role: AdminUser['role'];
  status: UserStatus;
  created_at: number;
  terminated_at: number | null;
  number_id: string | null;
  number_e164: string | null;
  number_kind: 'pool' | 'main' | null;
  override_id: string | null;
  override_e164: string | null;
  override_kind: 'pool' | 'main' | null;
  extension: string | null;
  calling: number | null;
  sms: number | null;
  voicemail: number | null;
  recording: number | null;
}

const SELECT_USERS = `
  SELECT u.id, u.name, u.email, u.mobile, u.role, u.status, u.created_at, u.terminated_at,
         n.id AS number_id, n.e164 AS number_e164, n.kind AS number_kind,
         o.id AS override_id, o.e164 AS override_e164, o.kind AS override_kind,
         x.extension, l.calling, l.sms, l.voicemail, l.recording
    FROM users u
    LEFT JOIN numbers n ON n.business_id = u.business_id AND n.assigned_user_id = u.id
    LEFT JOIN numbers o ON o.business_id = u.business_id AND o.id = u.override_number_id
    LEFT JOIN extensions x ON x.business_id = u.business_id AND x.user_id = u.id
    LEFT JOIN user_licences l ON l.business_id = u.business_id AND l.user_id = u.id`;

function licenceOf(row: UserRow): Features | null {
  if (row.calling === null) return null;
  return { calling: row.calling === 1, sms: row.sms === 1, voicemail: row.voicemail === 1, recording: row.recording === 1 };
}

function toAdminUser(row: UserRow, viewerId: string): AdminUser {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    mobile: row.mobile,
    role: row.role,
    status: row.status,
    createdAt: row.created_at,
    terminatedAt: row.terminated_at,
    number:
      row.number_id && row.number_e164 && row.number_kind ? { id: row.number_id, e164: row.number_e164, kind: row.number_kind } : null,
    override:
      row.override_id && row.override_e164 && row.override_kind
        ? { id: row.override_id, e164: row.override_e164, kind: row.override_kind }
        : null,
    extension: row.extension,
    licence: licenceOf(row),
    you: row.id === viewerId,
  };
}

/** `%term%` for LIKE, with the wildcards a person typed taken literally. */
function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

const STATUS_FILTER: Record<NonNullable<UserListQuery['status']>, string> = {
  current: "u.status != 'terminated'",
  active: "u.status = 'active'",
  suspended: "u.status = 'suspended'",
  terminated: "u.status = 'terminated'",
  all: '1 = 1',
};

/** The most the list returns at once; a search narrows it. */
export const USER_LIST_LIMIT = 500;

/**
 * The business's users, by name. `q` matches name or email (any part, any
 * case) or mobile: typed digits anywhere in the number (a national "07700…"
 * loses its leading zeros), or the whole number read in the business's country.
 */
export async function listUsers(
  db: D1Database,
  businessId: string,
  viewerId: string,
  query: { q?: string; status: NonNullable<UserListQuery['status']> },
  country: string,
): Promise<AdminUser[]> {
  const q = query.q?.trim() ?? '';
  const digits = q.replace(/\D/g, '').replace(/^0+/, '');
  const search = q
    ? `AND (u.name LIKE ?2 ESCAPE '\\' OR u.email LIKE ?2 ESCAPE '\\' OR u.mobile LIKE ?3 ESCAPE '\\' OR u.mobile = ?4)`
    : '';
  const statement = db.prepare(
    `${SELECT_USERS} WHERE u.business_id = ?1 AND ${STATUS_FILTER[query.status]} ${search}
      ORDER BY u.name COLLATE NOCASE, u.id LIMIT ${USER_LIST_LIMIT}`,
  );
  const bound = q
    ? statement.bind(businessId, likePattern(q), digits.length >= 3 ? likePattern(digits) : null, toE164(q, country) ?? null)
    : statement.bind(businessId);
  const { results } = await bound.all<UserRow>();
  return results.map((row) => toAdminUser(row, viewerId));
}

/** One user of this business as the admin sees them; another business's user is a 404, as if it did not exist. */
export async function loadUser(db: D1Database, businessId: string, userId: string, viewerId: string): Promise<AdminUser> {
  const row = await db.prepare(`${SELECT_USERS} WHERE u.business_id = ? AND u.id = ?`).bind(businessId, userId).first<UserRow>();
  if (!row) throw problems.notFound('user');
  return toAdminUser(row, viewerId);
}

/** Whether this user of this business is active (not suspended, not terminated): SIP credentials and call delivery ask this. */
export async function isActiveUser(db: D1Database, businessId: string, userId: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS ok FROM users WHERE business_id = ? AND id = ? AND status = 'active'")
    .bind(businessId, userId)
    .first();
  return row !== null;
}

/** Changes to a terminated user are refused: termination is final, and starts the retention clock. */
export function assertNotTerminated(user: AdminUser): void {
  if (user.status === 'terminated') {
    throw new Problem(409, 'user_terminated', 'This user has left', `${user.name} was terminated; their account can no longer be changed.`);
  }
}

/**
 * SQL (inside `UPDATE users … WHERE`): the row being changed is not the
 * business's last active admin. Restated in every statement that could
 * demote, suspend or terminate, so two admins acting at once cannot leave none.
 */
export const NOT_LAST_ACTIVE_ADMIN = `(users.role != 'admin' OR users.status != 'active' OR EXISTS (
  SELECT 1 FROM users other WHERE other.business_id = users.business_id AND other.id != users.id
     AND other.role = 'admin' AND other.status = 'active'))`;

/** Whether anyone other than `userId` is an active admin of the business. */
export async function hasAnotherActiveAdmin(db: D1Database, businessId: string, userId: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS ok FROM users WHERE business_id = ? AND id != ? AND role = 'admin' AND status = 'active' LIMIT 1")
    .bind(businessId, userId)
    .first();
  return row !== null;
}

export const lastAdmin = () =>
  new Problem(409, 'last_admin', 'The business needs an admin', 'This is the only active admin. Make someone else an admin first.');
