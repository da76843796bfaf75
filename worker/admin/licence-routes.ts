import { Hono } from 'hono';
import { DEFAULT_SEAT, type Features, type LicenceSummary, licenceRequest } from '../../shared/admin-api';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';
import { jsonBody } from '../platform/validate';
import { audited, changedMeanwhile } from './audit';
import { loadBusiness } from './business';
import { notifyLicenceChanged } from './licences';
import { assertNotTerminated, loadUser } from './users';

const noFreeSeat = (seats: number) =>
  new Problem(409, 'no_free_seat', 'No free seat', `All ${seats} seats your business bought are in use. Free one, or buy more.`);
const alreadyLicensed = (name: string) => new Problem(409, 'already_licensed', 'Already has a seat', `${name} already has a seat.`);
const noSeat = (name: string) => new Problem(409, 'no_seat', 'No seat', `${name} has no seat. Give them one first.`);
const recordingNotPurchased = () =>
  new Problem(409, 'recording_not_purchased', 'Call recording not bought', 'Your business has not bought call recording.', [
    { field: 'recording', code: 'recording_not_purchased', message: 'Call recording is not part of your plan.' },
  ]);

const flag = (on: boolean) => (on ? 1 : 0);

async function seatsUsed(db: D1Database, businessId: string): Promise<number> {
  return (await db.prepare('SELECT COUNT(*) AS n FROM user_licences WHERE business_id = ?').bind(businessId).first<number>('n')) ?? 0;
}

/**
 * Seats: give one to a user (never beyond the seats bought: 409
 * `no_free_seat`), change its features, take it back. Each change reaches
 * the user's devices live.
 */
export const adminLicenceRoutes = new Hono<AppEnv>()
  .get('/licences', async (c) => {
    const auth = c.get('auth');
    const business = await loadBusiness(c.env.DB, auth.businessId);
    const summary: LicenceSummary = {
      seats: business.seats,
      used: await seatsUsed(c.env.DB, auth.businessId),
      recordingPurchased: business.recording_purchased === 1,
    };
    c.header('Cache-Control', 'no-store');
    return c.json(summary);
  })
  .post('/users/:id/licence', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const input = await jsonBody(c, licenceRequest);
    const user = await loadUser(db, auth.businessId, c.req.param('id'), auth.userId);
    assertNotTerminated(user);
    if (user.licence) throw alreadyLicensed(user.name);
    const business = await loadBusiness(db, auth.businessId);
    const seat: Features = { ...DEFAULT_SEAT, ...input };
    if (seat.recording && business.recording_purchased !== 1) throw recordingNotPurchased();
    const now = Date.now();
    // One conditional insert counts the seats in use and takes one, so two
    // admins giving out the last seat at once cannot both have it.
    await audited(
      db,
      db
        .prepare(
          `INSERT INTO user_licences (business_id, user_id, calling, sms, voicemail, recording, assigned_at, updated_at)
           SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7
            WHERE EXISTS (SELECT 1 FROM users WHERE business_id = ?1 AND id = ?2 AND status != 'terminated')
              AND NOT EXISTS (SELECT 1 FROM user_licences WHERE business_id = ?1 AND user_id = ?2)
              AND (SELECT COUNT(*) FROM user_licences WHERE business_id = ?1) < (SELECT seats FROM businesses WHERE id = ?1)`,
        )
        .bind(auth.businessId, user.id, flag(seat.calling), flag(seat.sms), flag(seat.voicemail), flag(seat.recording), now),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'user.licence',
        target: { type: 'user', id: user.id },
        before: { licence: null },
        after: { licence: seat },
      },
      {
        now,
        onNoChange: async () => {
          const [fresh, used, latest] = await Promise.all([
            loadUser(db, auth.businessId, user.id, auth.userId),
            seatsUsed(db, auth.businessId),
            loadBusiness(db, auth.businessId),
          ]);
          if (fresh.licence) return alreadyLicensed(user.name);
          return used >= latest.seats ? noFreeSeat(latest.seats) : changedMeanwhile();
        },
      },
    );
    notifyLicenceChanged(c, auth.businessId, { userId: user.id });
    return c.json(await loadUser(db, auth.businessId, user.id, auth.userId), 201);
  })
  .patch('/users/:id/licence', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const input = await jsonBody(c, licenceRequest);
    const user = await loadUser(db, auth.businessId, c.req.param('id'), auth.userId);
    assertNotTerminated(user);
    const before = user.licence;
    if (!before) throw noSeat(user.name);
    const after: Features = { ...before, ...input };
    if (after.recording && !before.recording && (await loadBusiness(db, auth.businessId)).recording_purchased !== 1) {
      throw recordingNotPurchased();
    }
    if (JSON.stringify(after) === JSON.stringify(before)) return c.json(user);
    const now = Date.now();
    await audited(
      db,
      db
        .prepare(
          `UPDATE user_licences SET calling = ?1, sms = ?2, voicemail = ?3, recording = ?4, updated_at = ?5
            WHERE business_id = ?6 AND user_id = ?7 AND calling = ?8 AND sms = ?9 AND voicemail = ?10 AND recording = ?11`,
        )
        .bind(
          flag(after.calling),
          flag(after.sms),
          flag(after.voicemail),
          flag(after.recording),
          now,
          auth.businessId,
          user.id,
          flag(before.calling),
          flag(before.sms),
          flag(before.voicemail),
          flag(before.recording),
        ),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'user.licence',
        target: { type: 'user', id: user.id },
        before: { licence: before },
        after: { licence: after },
      },
      { now },
    );
    notifyLicenceChanged(c, auth.businessId, { userId: user.id });
    return c.json(await loadUser(db, auth.businessId, user.id, auth.userId));
  })
  // The seat goes back to the business; the user keeps their account but loses every feature.
  .delete('/users/:id/licence', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const user = await loadUser(db, auth.businessId, c.req.param('id'), auth.userId);
    if (!user.licence) return c.body(null, 204);
    await audited(db, db.prepare('DELETE FROM user_licences WHERE business_id = ? AND user_id = ?').bind(auth.businessId, user.id), {
      businessId: auth.businessId,
      actorId: auth.userId,
      action: 'user.licence',
      target: { type: 'user', id: user.id },
      before: { licence: user.licence },
      after: { licence: null },
    });
    notifyLicenceChanged(c, auth.businessId, { userId: user.id });
    return c.body(null, 204);
  });
