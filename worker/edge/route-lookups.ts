/**
 * The queries behind a routing decision. Users and numbers are found
 * platform-wide only by their unique keys; everything else is scoped by
 * business. Each query reads everything its part of the decision needs
 * (status, seat, do-not-disturb, voicemail owner) in one statement, and the
 * caller's and the target's queries go to D1 together (`lookUpTogether`):
 * the edge waits on every round trip (ENGINEERING.md §3: p95 ≤ 20 ms).
 */
import type { Features } from '../../shared/admin-api';
import { readSeatFeatures, SEAT_FEATURES } from '../admin/licences';

/** One statement of a decision's reads and how to read its rows, so several can share one `db.batch` round trip. */
export interface Lookup<T> {
  statement: D1PreparedStatement;
  read: (rows: Record<string, unknown>[]) => T;
}

/** Runs one or two lookups in a single round trip. */
export async function lookUpTogether<A, B>(db: D1Database, a: Lookup<A>, b?: Lookup<B>): Promise<[A, B | undefined]> {
  if (!b) return [a.read((await a.statement.all<Record<string, unknown>>()).results), undefined];
  const [ra, rb] = await db.batch<Record<string, unknown>>([a.statement, b.statement]);
  return [a.read(ra?.results ?? []), b.read(rb?.results ?? [])];
}

type RoutingFeatures = Pick<Features, 'calling' | 'voicemail' | 'recording'>;

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
  /** Null: no spending limit (nothing to add up before a call goes out). */
  spendingLimitCents: number | null;
  features: RoutingFeatures;
}

/** The user placing a call, by their id (the credential's user, checked by Kamailio), with their seat. */
export function callerLookup(db: D1Database, userId: string): Lookup<Caller | null> {
  return {
    statement: db
      .prepare(
        `SELECT u.id, u.business_id, u.status, b.status AS business_status, b.plan, b.country, b.spending_limit_cents,
                n.e164 AS assigned, o.e164 AS override, ${SEAT_FEATURES}
           FROM users u
           JOIN businesses b ON b.id = u.business_id
           LEFT JOIN user_licences l ON l.business_id = u.business_id AND l.user_id = u.id
           LEFT JOIN numbers n ON n.business_id = u.business_id AND n.assigned_user_id = u.id
           LEFT JOIN numbers o ON o.business_id = u.business_id AND o.id = u.override_number_id
          WHERE u.id = ?`,
      )
      .bind(userId),
    read: ([row]) =>
      row
        ? {
            id: row.id as string,
            businessId: row.business_id as string,
            status: row.status as Caller['status'],
            businessStatus: row.business_status as Caller['businessStatus'],
            plan: row.plan as Caller['plan'],
            country: row.country as string,
            callerId: ((row.override ?? row.assigned) as string | null) ?? null,
            spendingLimitCents: (row.spending_limit_cents as number | null) ?? null,
            features: readSeatFeatures(row),
          }
        : null,
  };
}

/** A user of the business a call may ring, or whose voicemail may take it. */
export interface Member {
  id: string;
  dnd: boolean;
  features: RoutingFeatures;
}

function readMember(row: Record<string, unknown>): Member {
  return { id: row.id as string, dnd: row.dnd === 1, features: readSeatFeatures(row) };
}

/**
 * An active user of the caller's business by user id, or null (whether they
 * exist elsewhere is not this business's concern). Scoped by a subquery on
 * the caller so it can travel in the caller's round trip; only read once the
 * caller is known to be allowed to call.
 */
export function colleagueLookup(db: D1Database, callerId: string, userId: string): Lookup<Member | null> {
  return {
    statement: db
      .prepare(
        `SELECT u.id, u.dnd, ${SEAT_FEATURES}
           FROM users u
           JOIN businesses b ON b.id = u.business_id
           LEFT JOIN user_licences l ON l.business_id = u.business_id AND l.user_id = u.id
          WHERE u.business_id = (SELECT business_id FROM users WHERE id = ?1) AND u.id = ?2 AND u.status = 'active'`,
      )
      .bind(callerId, userId),
    read: ([row]) => (row ? readMember(row) : null),
  };
}

/** The active user of the caller's business who has this extension, or null (none, or they are suspended). */
export function extensionLookup(db: D1Database, callerId: string, extension: string): Lookup<Member | null> {
  return {
    statement: db
      .prepare(
        `SELECT u.id, u.dnd, ${SEAT_FEATURES}
           FROM extensions x
           JOIN users u ON u.business_id = x.business_id AND u.id = x.user_id
           JOIN businesses b ON b.id = x.business_id
           LEFT JOIN user_licences l ON l.business_id = u.business_id AND l.user_id = u.id
          WHERE x.business_id = (SELECT business_id FROM users WHERE id = ?1) AND x.extension = ?2 AND u.status = 'active'`,
      )
      .bind(callerId, extension),
    read: ([row]) => (row ? readMember(row) : null),
  };
}

/** One of the platform's numbers, with the state of the business that owns it, the users it rings and its voicemail owner. */
export interface OwnedNumber {
  id: string;
  businessId: string;
  businessStatus: Caller['businessStatus'];
  kind: 'pool' | 'main';
  /**
   * Who the number rings, in user id order: the active users who override
   * their number with it, and its assigned user unless they override with
   * another one ("calls go out and come in on that one instead").
   */
  targets: Member[];
  /** Whose voicemail takes its calls and whose seat decides recording: see `numberOwner`. */
  owner: Member | null;
}

/**
 * Whose number this is, for its voicemail and recording: its assigned user
 * when they answer on it; else the one user who answers on it (a line one
 * person uses is theirs); else — shared by several, or by nobody — the
 * business's first admin (the oldest active one), who keeps the business's
 * shared lines.
 */
function numberOwner(targets: Member[], assignedUserId: string | null, firstAdmin: Member | undefined): Member | null {
  return targets.find((t) => t.id === assignedUserId) ?? (targets.length === 1 ? (targets[0] as Member) : (firstAdmin ?? null));
}

/**
 * The number's owner, if the platform has this number at all (E.164 is
 * unique platform-wide), with everyone the decision may need: one row per
 * target plus one for the business's first admin (the owner of a shared
 * line), or a single row with no user when there is neither.
 */
export function numberLookup(db: D1Database, e164: string): Lookup<OwnedNumber | null> {
  return {
    statement: db
      .prepare(
        `WITH num AS (
           SELECT n.id, n.business_id, n.kind, n.assigned_user_id, b.status AS business_status
             FROM numbers n JOIN businesses b ON b.id = n.business_id
            WHERE n.e164 = ?1
         ),
         people AS (
           SELECT u.id, 1 AS target, 0 AS first_admin
             FROM num JOIN users u ON u.business_id = num.business_id
            WHERE u.status = 'active'
              AND (u.override_number_id = num.id OR (u.override_number_id IS NULL AND u.id = num.assigned_user_id))
           UNION ALL
           SELECT id, 0, 1 FROM (
             SELECT u.id FROM num JOIN users u ON u.business_id = num.business_id
              WHERE u.role = 'admin' AND u.status = 'active'
              ORDER BY u.created_at, u.id LIMIT 1
           )
         )
         SELECT num.id AS number_id, num.business_id, num.kind, num.assigned_user_id, num.business_status,
                p.id, p.target, p.first_admin, u.dnd, ${SEAT_FEATURES}
           FROM num
           JOIN businesses b ON b.id = num.business_id
           LEFT JOIN people p ON true
           LEFT JOIN users u ON u.business_id = num.business_id AND u.id = p.id
           LEFT JOIN user_licences l ON l.business_id = num.business_id AND l.user_id = p.id
          ORDER BY p.id`,
      )
      .bind(e164),
    read: (rows) => {
      const first = rows[0];
      if (!first) return null;
      const people = rows.filter((r) => r.id !== null);
      const targets = people.filter((r) => r.target === 1).map(readMember);
      const admin = people.find((r) => r.first_admin === 1);
      return {
        id: first.number_id as string,
        businessId: first.business_id as string,
        businessStatus: first.business_status as Caller['businessStatus'],
        kind: first.kind as OwnedNumber['kind'],
        targets,
        owner: numberOwner(targets, first.assigned_user_id as string | null, admin ? readMember(admin) : undefined),
      };
    },
  };
}
