import { Hono } from 'hono';
import { type RecordingInfo, type RecordingSettings, recordingSwitchRequest } from '../../shared/admin-api';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';
import { jsonBody } from '../platform/validate';
import { audited } from './audit';
import { loadBusiness } from './business';
import { notifyLicenceChanged } from './licences';

const notPurchased = () =>
  new Problem(
    409,
    'recording_not_purchased',
    'Call recording not bought',
    'Your business has not bought call recording, so it cannot be switched on.',
  );

/** The most recordings listed at once. */
const RECORDINGS_LIMIT = 200;

/**
 * The business's call recording switch (only when bought) and its
 * recordings, which go to the business's admins and nobody else.
 */
export const adminRecordingRoutes = new Hono<AppEnv>()
  .get('/recording', async (c) => {
    const business = await loadBusiness(c.env.DB, c.get('auth').businessId);
    const settings: RecordingSettings = { purchased: business.recording_purchased === 1, enabled: business.recording_enabled === 1 };
    c.header('Cache-Control', 'no-store');
    return c.json(settings);
  })
  .patch('/recording', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const { enabled } = await jsonBody(c, recordingSwitchRequest);
    const business = await loadBusiness(db, auth.businessId);
    if (enabled && business.recording_purchased !== 1) throw notPurchased();
    const before = business.recording_enabled === 1;
    if (before !== enabled) {
      await audited(
        db,
        db
          .prepare(
            // Switching on restates "bought", so a purchase withdrawn meanwhile still wins.
            'UPDATE businesses SET recording_enabled = ?1 WHERE id = ?2 AND recording_enabled = ?3 AND (?1 = 0 OR recording_purchased = 1)',
          )
          .bind(enabled ? 1 : 0, auth.businessId, before ? 1 : 0),
        {
          businessId: auth.businessId,
          actorId: auth.userId,
          action: 'business.recording',
          target: { type: 'business', id: auth.businessId },
          before: { recordingEnabled: before },
          after: { recordingEnabled: enabled },
        },
      );
      // Everyone's recording feature follows the switch.
      notifyLicenceChanged(c, auth.businessId, 'business');
    }
    const settings: RecordingSettings = { purchased: business.recording_purchased === 1, enabled };
    return c.json(settings);
  })
  // Filled by the media edge; the audio itself is fetched by id (later), never listed by R2 key.
  .get('/recordings', async (c) => {
    const { results } = await c.env.DB.prepare(
      `SELECT id, call_id AS callId, duration_ms AS durationMs, created_at AS createdAt
         FROM recordings WHERE business_id = ? ORDER BY created_at DESC, id DESC LIMIT ${RECORDINGS_LIMIT}`,
    )
      .bind(c.get('auth').businessId)
      .all<RecordingInfo>();
    c.header('Cache-Control', 'no-store');
    return c.json({ recordings: results });
  });
