import { Hono } from 'hono';
import { z } from 'zod';
import { RECORDING_CONTENT_TYPE, RECORDING_MAX_BYTES, RECORDING_SHA256_HEADER, type RecordingUploadResult } from '../../shared/admin-api';
import { requireEdgeSecret } from '../edge/edge-auth';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';
import { queryParams } from '../platform/validate';
import { newRecordingKey, type RecordingRow } from './store';

const uploadQuery = z.object({
  /** The SIP Call-ID: the call's record says whose it is, never the edge. */
  callId: z.string().min(1).max(1024),
  durationMs: z.coerce
    .number()
    .int()
    .min(0)
    .max(48 * 3600 * 1000),
});

/** What the upload needs to know about the call, from its record. */
interface CallForRecording {
  record_id: string;
  business_id: string;
  recording_purchased: number;
  recording_enabled: number;
}

const noCall = () =>
  new Problem(404, 'call_not_found', 'No such call', 'No call record has this Call-ID: only calls the Worker routed are recorded.');
const notEnabled = () =>
  new Problem(403, 'recording_not_enabled', 'Recording is off', 'This business has not bought call recording or has switched it off.');

/** The recording of a call record, whatever its state. */
function recordingOfCall(db: D1Database, businessId: string, recordId: string): Promise<RecordingRow | null> {
  return db.prepare('SELECT * FROM recordings WHERE business_id = ? AND call_id = ?').bind(businessId, recordId).first<RecordingRow>();
}

/**
 * `POST /api/edge/recordings?callId=&durationMs=`: the media edge's agent
 * delivers a finished call's recording (MP3, edge/agent/recordings/). The
 * body streams to R2 as it arrives (never held in memory). Idempotent per
 * call: a repeat answers the recording already stored. Statuses the agent
 * acts on: 200/201 done; 401, 5xx retry later; 403, 404, 413, 415, 422
 * final.
 */
export const edgeRecordingRoutes = new Hono<AppEnv>().post('/recordings', requireEdgeSecret, async (c) => {
  const { callId, durationMs } = queryParams(c, uploadQuery);
  const db = c.env.DB;
  const log = c.get('log');
  const body = c.req.raw.body;
  // R2 takes a stream only when its length is known, and the limit is checked before a byte is read.
  const declared = c.req.header('Content-Length');
  if (!declared || !/^\d+$/.test(declared)) throw new Problem(411, 'length_required', 'Content-Length required');
  const size = Number(declared);
  if (size > RECORDING_MAX_BYTES) {
    throw new Problem(413, 'recording_too_large', 'Recording too large', `A recording may be at most ${RECORDING_MAX_BYTES} bytes.`);
  }
  if (size === 0 || !body) throw new Problem(422, 'recording_empty', 'Empty recording');
  if (c.req.header('Content-Type') !== RECORDING_CONTENT_TYPE) {
    throw new Problem(415, 'unsupported_media_type', 'Unsupported media type', `Send ${RECORDING_CONTENT_TYPE}.`);
  }
  const sha256 = c.req.header(RECORDING_SHA256_HEADER);
  if (sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(sha256)) {
    throw new Problem(422, 'bad_checksum', 'Malformed checksum', `${RECORDING_SHA256_HEADER} is the hex SHA-256 of the body.`);
  }

  const call = await db
    .prepare(
      `SELECT c.id AS record_id, c.business_id, b.recording_purchased, b.recording_enabled
         FROM calls c JOIN businesses b ON b.id = c.business_id WHERE c.call_id = ?`,
    )
    .bind(callId)
    .first<CallForRecording>();
  if (!call) throw noCall();

  const now = Date.now();
  let row = await recordingOfCall(db, call.business_id, call.record_id);
  if (row?.state === 'ready') {
    await body.cancel();
    c.header('Cache-Control', 'no-store');
    return c.json({ id: row.id, duplicate: true } satisfies RecordingUploadResult, 200);
  }
  // Bought and switched on when the call ends, not only when it started: switching off stops new recordings arriving.
  if (call.recording_purchased !== 1 || call.recording_enabled !== 1) throw notEnabled();
  if (!row) {
    // Reserve the key before writing it: whatever happens to the upload, a row names the object.
    const fresh = newRecordingKey(call.business_id);
    await db
      .prepare(
        `INSERT INTO recordings (id, business_id, call_id, r2_key, duration_ms, size_bytes, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 0, 'uploading', ?, ?) ON CONFLICT (business_id, call_id) DO NOTHING`,
      )
      .bind(fresh.id, call.business_id, call.record_id, fresh.key, durationMs, now, now)
      .run();
    // Ours, or the one a simultaneous upload of the same call reserved: both write the same key.
    row = await recordingOfCall(db, call.business_id, call.record_id);
    if (!row) throw new Error('recording row vanished after insert');
  }

  let stored: R2Object;
  try {
    stored = await c.env.AUDIO.put(row.r2_key, body, {
      httpMetadata: { contentType: RECORDING_CONTENT_TYPE },
      ...(sha256 ? { sha256: sha256.toLowerCase() } : {}),
    });
  } catch (err) {
    // The body broke off or did not match its checksum: nothing half-written stays behind.
    await c.env.AUDIO.delete(row.r2_key).catch(() => undefined);
    log('warn', 'recording upload failed', { recordingId: row.id, error: String(err) });
    throw new Problem(
      503,
      'recording_upload_failed',
      'Upload incomplete',
      'The recording did not arrive whole; send it again.',
      undefined,
      5,
    );
  }
  await db
    .prepare("UPDATE recordings SET state = 'ready', size_bytes = ?, duration_ms = ?, updated_at = ? WHERE id = ?")
    .bind(stored.size, durationMs, Date.now(), row.id)
    .run();
  log('info', 'recording stored', { recordingId: row.id, businessId: call.business_id, bytes: stored.size, durationMs });
  c.header('Cache-Control', 'no-store');
  return c.json({ id: row.id, duplicate: false } satisfies RecordingUploadResult, 201);
});
