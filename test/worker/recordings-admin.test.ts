import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { runMaintenance } from '../../worker/maintenance/cron';
import { maintenanceJobs } from '../../worker/maintenance/jobs';
import { ABANDONED_UPLOAD_MS, RECORDINGS_AFTER_TERMINATION_MS } from '../../worker/recordings/jobs';
import { auditRows } from './support/admin';
import { json } from './support/api';
import { deliver, edgeEvent, recordOf } from './support/calls';
import { recordingBusiness, storedRecording } from './support/recordings';

const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());
const quiet = () => undefined;

describe('GET /api/admin/recordings: the business’s recordings, for its admins', () => {
  it('lists newest first with the call’s time, parties and length; users who are not admins get 403', async () => {
    const b = await recordingBusiness();
    await env.DB.prepare("UPDATE users SET name = 'Uma User' WHERE id = ?").bind(b.user.id).run();
    const older = await storedRecording(b.user.id, 3000);
    const t0 = Date.now() - 120_000;
    await deliver([edgeEvent(older.callId, 'answer', t0), edgeEvent(older.callId, 'end', t0 + 61_000, { by: 'caller' })]);
    const newer = await storedRecording(b.user.id, 4000);

    const res = await b.adminClient.get('/api/admin/recordings');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const { recordings } = await json(res);
    expect(recordings.map((r: { id: string }) => r.id)).toEqual([newer.id, older.id]);
    expect(recordings[1]).toEqual({
      id: older.id,
      callId: (await recordOf(older.callId))?.id,
      durationMs: 61_000,
      bytes: 3000,
      createdAt: expect.any(Number),
      kind: 'outbound',
      startedAt: t0,
      remoteNumber: '+441614960001',
      ourNumber: b.numbers[0],
      caller: { userId: b.user.id, name: 'Uma User' },
      answeredBy: null,
    });

    for (const path of ['/api/admin/recordings', `/api/admin/recordings/${older.id}/audio`]) {
      expect((await b.userClient.get(path)).status).toBe(403);
    }
    expect((await b.userClient.del(`/api/admin/recordings/${older.id}`)).status).toBe(403);
    expect((await b.userClient.get('/api/admin/recordings')).status).toBe(403);
  });

  it('another business’s admin neither sees, plays nor deletes them (404, not 403: ids are not confirmed)', async () => {
    const a = await recordingBusiness();
    const other = await recordingBusiness();
    const { id } = await storedRecording(a.user.id);
    expect((await json(await other.adminClient.get('/api/admin/recordings'))).recordings).toEqual([]);
    expect((await other.adminClient.get(`/api/admin/recordings/${id}/audio`)).status).toBe(404);
    expect((await other.adminClient.del(`/api/admin/recordings/${id}`)).status).toBe(404);
    expect((await a.adminClient.get(`/api/admin/recordings/${id}/audio`)).status).toBe(200);
    expect(await auditRows(other.business.id)).toEqual([]);
  });
});

describe('GET /api/admin/recordings/:id/audio: playback with byte ranges', () => {
  it('whole (200) or one range (206), suffix and open-ended ranges too; past the end 416', async () => {
    const b = await recordingBusiness();
    const { id, bytes } = await storedRecording(b.user.id, 10_000);
    const path = `/api/admin/recordings/${id}/audio`;

    const whole = await b.adminClient.get(path);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('Accept-Ranges')).toBe('bytes');
    expect(whole.headers.get('Content-Type')).toBe('audio/mpeg');
    expect(whole.headers.get('Content-Length')).toBe('10000');
    expect(whole.headers.get('Cache-Control')).toContain('no-store');
    expect(await bytesOf(whole)).toEqual(bytes);

    const ranged = (range: string) => b.adminClient.call('GET', path, undefined, { Range: range });
    const first = await ranged('bytes=0-99');
    expect(first.status).toBe(206);
    expect(first.headers.get('Content-Range')).toBe('bytes 0-99/10000');
    expect(first.headers.get('Content-Length')).toBe('100');
    expect(await bytesOf(first)).toEqual(bytes.subarray(0, 100));

    const middle = await ranged('bytes=5000-');
    expect(middle.headers.get('Content-Range')).toBe('bytes 5000-9999/10000');
    expect(await bytesOf(middle)).toEqual(bytes.subarray(5000));

    const last = await ranged('bytes=-10');
    expect(last.headers.get('Content-Range')).toBe('bytes 9990-9999/10000');
    expect(await bytesOf(last)).toEqual(bytes.subarray(9990));

    // An end past the file is cut to it.
    const beyond = await ranged('bytes=9000-20000');
    expect(beyond.headers.get('Content-Range')).toBe('bytes 9000-9999/10000');

    const unsatisfiable = await ranged('bytes=10000-');
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers.get('Content-Range')).toBe('bytes */10000');

    // Several ranges, or nonsense: the whole file.
    expect((await ranged('bytes=0-1,5-6')).status).toBe(200);
    expect((await ranged('bytes=9-3')).status).toBe(200);

    expect((await b.adminClient.get('/api/admin/recordings/rec_nonexistent/audio')).status).toBe(404);
  });
});

describe('DELETE /api/admin/recordings/:id', () => {
  it('deletes the row and the audio, with an audit entry; a second delete is 404', async () => {
    const b = await recordingBusiness();
    const { id, callId } = await storedRecording(b.user.id);
    const { r2_key } = (await env.DB.prepare('SELECT r2_key FROM recordings WHERE id = ?').bind(id).first<{ r2_key: string }>()) ?? {};

    const res = await b.adminClient.del(`/api/admin/recordings/${id}`);
    expect(res.status).toBe(204);
    expect(await env.AUDIO.head(r2_key as string)).toBeNull();
    expect((await json(await b.adminClient.get('/api/admin/recordings'))).recordings).toEqual([]);
    expect((await b.adminClient.get(`/api/admin/recordings/${id}/audio`)).status).toBe(404);
    expect((await b.adminClient.del(`/api/admin/recordings/${id}`)).status).toBe(404);
    expect(await auditRows(b.business.id)).toEqual([
      {
        actor_user_id: b.admin.id,
        action: 'recording.delete',
        target_type: 'business',
        target_id: b.business.id,
        before: { recordingId: id, callId: (await recordOf(callId))?.id, durationMs: 61_000 },
        after: {},
      },
    ]);
  });
});

describe('daily maintenance', () => {
  it('sweeps uploads abandoned halfway, and recordings a month after their business was terminated', async () => {
    const now = Date.now();
    const live = await recordingBusiness();
    const kept = await storedRecording(live.user.id);
    // An upload that broke off a day ago, with whatever part of it reached R2.
    await env.DB.prepare(
      `INSERT INTO recordings (id, business_id, call_id, r2_key, duration_ms, state, created_at, updated_at)
       VALUES ('rec_abandoned', ?, 'call_abandoned', 'recordings/x/rec_abandoned.mp3', 0, 'uploading', ?, ?)`,
    )
      .bind(live.business.id, now - ABANDONED_UPLOAD_MS - 1000, now - ABANDONED_UPLOAD_MS - 1000)
      .run();
    await env.AUDIO.put('recordings/x/rec_abandoned.mp3', 'partial');

    const gone = await recordingBusiness();
    const old = await storedRecording(gone.user.id);
    const recent = await recordingBusiness();
    const young = await storedRecording(recent.user.id);
    await env.DB.prepare("UPDATE businesses SET status = 'terminated', terminated_at = ? WHERE id = ?")
      .bind(now - RECORDINGS_AFTER_TERMINATION_MS - 1000, gone.business.id)
      .run();
    await env.DB.prepare("UPDATE businesses SET status = 'terminated', terminated_at = ? WHERE id = ?")
      .bind(now - 1000, recent.business.id)
      .run();

    const results = await runMaintenance(env, now, maintenanceJobs, quiet);
    expect(results).toMatchObject({ recordings_abandoned_uploads: 1, recordings_after_termination: 1 });
    // (The counts are of this file's whole database: only these rows qualified.)
    const ids = (
      await env.DB.prepare('SELECT id FROM recordings WHERE business_id IN (?, ?, ?)')
        .bind(live.business.id, gone.business.id, recent.business.id)
        .all<{ id: string }>()
    ).results
      .map((r) => r.id)
      .sort();
    expect(ids).toEqual([kept.id, young.id].sort());
    expect(ids).not.toContain(old.id);
    expect(await env.AUDIO.head('recordings/x/rec_abandoned.mp3')).toBeNull();
    expect(await env.AUDIO.head(`recordings/${gone.business.id}/${old.id}.mp3`)).toBeNull();
    expect(await env.AUDIO.head(`recordings/${live.business.id}/${kept.id}.mp3`)).not.toBeNull();
  });
});
