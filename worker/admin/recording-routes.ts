import { Hono } from 'hono';
import { type RecordingSettings, type RecordingsPage, recordingSwitchRequest } from '../../shared/admin-api';
import type { AppEnv } from '../platform/context';
import { Problem, problems } from '../platform/problem';
import { jsonBody } from '../platform/validate';
import { recordingAudio } from '../recordings/audio';
import { listRecordings } from '../recordings/list';
import { readyRecording } from '../recordings/store';
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
  // Filled by the media edge (worker/recordings/upload-routes.ts); the audio is fetched by id, never by R2 key.
  .get('/recordings', async (c) => {
    const page: RecordingsPage = { recordings: await listRecordings(c.env.DB, c.get('auth').businessId) };
    c.header('Cache-Control', 'no-store');
    return c.json(page);
  })
  // Another business's recording id reads as absent (404), never as forbidden.
  .get('/recordings/:id/audio', async (c) => {
    const row = await readyRecording(c.env.DB, c.get('auth').businessId, c.req.param('id'));
    if (!row) throw problems.notFound('recording');
    return recordingAudio(c, row);
  })
  .delete('/recordings/:id', async (c) => {
    const auth = c.get('auth');
    const db = c.env.DB;
    const row = await readyRecording(db, auth.businessId, c.req.param('id'));
    if (!row) throw problems.notFound('recording');
    // The row and its audit entry in one batch, then the audio: a failure in between leaves an
    // object nobody can reach (logged), never a listed recording that cannot play.
    await audited(
      db,
      db.prepare("DELETE FROM recordings WHERE business_id = ? AND id = ? AND state = 'ready'").bind(auth.businessId, row.id),
      {
        businessId: auth.businessId,
        actorId: auth.userId,
        action: 'recording.delete',
        target: { type: 'business', id: auth.businessId },
        before: { recordingId: row.id, callId: row.call_id, durationMs: row.duration_ms },
        after: {},
      },
      { onNoChange: () => problems.notFound('recording') },
    );
    try {
      await c.env.AUDIO.delete(row.r2_key);
    } catch (err) {
      c.get('log')('error', 'recording audio not deleted from R2', { recordingId: row.id, error: String(err) });
    }
    return c.body(null, 204);
  });
