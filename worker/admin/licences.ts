/** Licences: seats bought, seats given to users, and the features each seat has. */
import type { Context, MiddlewareHandler } from 'hono';
import { DEFAULT_SEAT, type Feature, type Features, NO_FEATURES } from '../../shared/admin-api';
import type { LiveAudience } from '../../shared/live-protocol';
import { publishLiveEvent } from '../live/publish';
import type { AppEnv } from '../platform/context';
import { Problem, problems } from '../platform/problem';

interface FeatureRow {
  calling: number;
  sms: number;
  voicemail: number;
  recording: number;
  recording_purchased: number;
  recording_enabled: number;
}

/**
 * What this user may use now: their seat's features, all false without a
 * seat, when they are not active, or when their business is not in good
 * standing. Recording also needs the business to have bought it and the
 * admin's switch on. The call routing decision and feature APIs ask this.
 */
export async function featuresFor(db: D1Database, businessId: string, userId: string): Promise<Features> {
  const row = await db
    .prepare(
      `SELECT l.calling, l.sms, l.voicemail, l.recording, b.recording_purchased, b.recording_enabled
         FROM user_licences l
         JOIN users u ON u.business_id = l.business_id AND u.id = l.user_id
         JOIN businesses b ON b.id = l.business_id
        WHERE l.business_id = ? AND l.user_id = ? AND u.status = 'active' AND b.status IN ('trial', 'active')`,
    )
    .bind(businessId, userId)
    .first<FeatureRow>();
  if (!row) return { ...NO_FEATURES };
  return {
    calling: row.calling === 1,
    sms: row.sms === 1,
    voicemail: row.voicemail === 1,
    recording: row.recording === 1 && row.recording_purchased === 1 && row.recording_enabled === 1,
  };
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
