/** Licences: seats bought, seats given to users, and the features each seat has. */
import type { Context, MiddlewareHandler } from 'hono';
import { DEFAULT_SEAT, type Feature, type Features, NO_FEATURES } from '../../shared/admin-api';
import type { LiveAudience } from '../../shared/live-protocol';
import { publishLiveEvent } from '../live/publish';
import type { AppEnv } from '../platform/context';
import { Problem, problems } from '../platform/problem';

/**
 * A seat's features, in SQL, for user `u` with licence `l` (left-joined) in
 * business `b`: no seat, an inactive user or a business not in good standing
 * has nothing; recording also needs the business to have bought it and the
 * admin's switch on. The one rule: the feature APIs (`featuresFor`), the call
 * routing decision (worker/edge/route-lookups.ts) and the SIP credentials
 * (worker/auth/sessions.ts) all select it.
 */
export const SEAT_FEATURES = `
  (COALESCE(l.calling, 0) = 1 AND u.status = 'active' AND b.status IN ('trial', 'active')) AS f_calling,
  (COALESCE(l.sms, 0) = 1 AND u.status = 'active' AND b.status IN ('trial', 'active')) AS f_sms,
  (COALESCE(l.voicemail, 0) = 1 AND u.status = 'active' AND b.status IN ('trial', 'active')) AS f_voicemail,
  (COALESCE(l.recording, 0) = 1 AND b.recording_purchased = 1 AND b.recording_enabled = 1
     AND u.status = 'active' AND b.status IN ('trial', 'active')) AS f_recording`;

/** A row that selected `SEAT_FEATURES`, as features. */
export function readSeatFeatures(row: Record<string, unknown>): Features {
  return { calling: row.f_calling === 1, sms: row.f_sms === 1, voicemail: row.f_voicemail === 1, recording: row.f_recording === 1 };
}

/** What this user may use now: their seat's features (`SEAT_FEATURES`); all false for a user not found. */
export async function featuresFor(db: D1Database, businessId: string, userId: string): Promise<Features> {
  const row = await db
    .prepare(
      `SELECT ${SEAT_FEATURES}
         FROM users u
         JOIN businesses b ON b.id = u.business_id
         LEFT JOIN user_licences l ON l.business_id = u.business_id AND l.user_id = u.id
        WHERE u.business_id = ? AND u.id = ?`,
    )
    .bind(businessId, userId)
    .first<Record<string, unknown>>();
  return row ? readSeatFeatures(row) : { ...NO_FEATURES };
}

const FEATURE_NAMES: Record<Feature, string> = {
  calling: 'Calling',
  sms: 'Text messages',
  voicemail: 'Voicemail',
  recording: 'Call recording',
};

/** A feature the user's licence (or their admin) turned off: the API refuses it, whatever the app shows. */
export const featureOff = (feature: Feature) =>
  new Problem(
    403,
    'feature_not_licensed',
    `${FEATURE_NAMES[feature]} is off`,
    `${FEATURE_NAMES[feature]} is not part of your licence. Ask your admin.`,
  );

/**
 * For a feature's routes, after `requireSession`: refuses the request with
 * 403 `feature_not_licensed` when the caller's seat does not have it.
 */
export function requireFeature(feature: Feature): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get('auth');
    if (!auth) throw problems.unauthenticated();
    if (!(await featuresFor(c.env.DB, auth.businessId, auth.userId))[feature]) throw featureOff(feature);
    await next();
  };
}

/**
 * Tells the affected apps (one user's devices, or the whole business) that
 * features changed, so what was turned off disappears live. After the
 * response; a hub that cannot be reached is logged, never the change's failure
 * (the apps also read `GET /api/me/features` when they start).
 */
export function notifyLicenceChanged(c: Context<AppEnv>, businessId: string, to: LiveAudience): void {
  const sent = publishLiveEvent(c.env, businessId, { kind: 'licence_changed' }, to).catch((err: unknown) => {
    c.get('log')('warn', 'licence_changed not published', { businessId, error: String(err) });
  });
  c.executionCtx.waitUntil(sent);
}

/**
 * A statement giving the user a seat with the default features when the
 * business has one free, and doing nothing otherwise: for the batches that
 * create users (sign-up, accepting an invitation), so a new member can work
 * at once when the business bought enough seats.
 */
export function takeFreeSeat(db: D1Database, businessId: string, userId: string, now = Date.now()): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO user_licences (business_id, user_id, calling, sms, voicemail, recording, assigned_at, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7
        WHERE (SELECT COUNT(*) FROM user_licences WHERE business_id = ?1) < (SELECT seats FROM businesses WHERE id = ?1)
       ON CONFLICT (business_id, user_id) DO NOTHING`,
    )
    .bind(
      businessId,
      userId,
      Number(DEFAULT_SEAT.calling),
      Number(DEFAULT_SEAT.sms),
      Number(DEFAULT_SEAT.voicemail),
      Number(DEFAULT_SEAT.recording),
      now,
    );
}
