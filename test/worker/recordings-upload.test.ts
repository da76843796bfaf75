import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { RECORDING_MAX_BYTES } from '../../shared/admin-api';
import { EDGE_SIGNATURE_HEADER, EDGE_TIMESTAMP_HEADER, edgeSigningKey, signEdgeBody } from '../../shared/calls-api';
import { json } from './support/api';
import { recordOf } from './support/calls';
import { audioBytes, recordingBusiness, routedCall, sha256Hex, upload } from './support/recordings';

interface Row {
  id: string;
  business_id: string;
  call_id: string;
  r2_key: string;
  state: string;
  size_bytes: number;
  duration_ms: number;
}
const rowsOf = async (businessId: string) =>
  (await env.DB.prepare('SELECT * FROM recordings WHERE business_id = ?').bind(businessId).all<Row>()).results;

describe('POST /api/edge/recordings: the media edge delivers a call’s recording', () => {
  it('only with the edge secret: none, a wrong one or an event signature get 401 and store nothing', async () => {
    const b = await recordingBusiness();
    const callId = await routedCall(b.user.id);
    const bytes = audioBytes(1000);
    expect((await upload(callId, bytes, { authorization: null })).status).toBe(401);
    expect((await upload(callId, bytes, { authorization: 'Bearer not-the-secret' })).status).toBe(401);
    // A call-event signature (HMAC over the body, docs/calls.md) is not what this route takes.
    const timestamp = String(Date.now());
    const signature = await signEdgeBody(await edgeSigningKey(env.EDGE_API_SECRET, 'sign'), timestamp, 'x');
    const signed = await upload(callId, bytes, {
      authorization: null,
      headers: { [EDGE_TIMESTAMP_HEADER]: timestamp, [EDGE_SIGNATURE_HEADER]: signature },
    });
    expect(signed.status).toBe(401);
    expect(await rowsOf(b.business.id)).toEqual([]);
  });

  it('stores it under a key of ids only, for the business of the call’s record, and answers the same recording to a repeat', async () => {
    const b = await recordingBusiness();
    const callId = await routedCall(b.user.id);
    const bytes = audioBytes(20_000);
    const first = await upload(callId, bytes, { durationMs: 61_500 });
    expect(first.status).toBe(201);
    const { id, duplicate } = await json(first);
    expect(duplicate).toBe(false);

    const [row] = await rowsOf(b.business.id);
    const record = await recordOf(callId);
    expect(row).toMatchObject({ id, call_id: record?.id, state: 'ready', size_bytes: 20_000, duration_ms: 61_500 });
    expect(row?.r2_key).toBe(`recordings/${b.business.id}/${id}.mp3`);
    expect(row?.r2_key).not.toContain(callId.split('@')[0]);
    const object = await env.AUDIO.get(row?.r2_key as string);
    expect(new Uint8Array(await (object as R2ObjectBody).arrayBuffer())).toEqual(bytes);
    expect(object?.httpMetadata?.contentType).toBe('audio/mpeg');

    // The agent did not hear the answer and sends it again: the same recording, nothing new stored.
    const again = await upload(callId, audioBytes(20_000, 2), { durationMs: 61_500 });
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual({ id, duplicate: true });
    expect(await rowsOf(b.business.id)).toHaveLength(1);
    const kept = await env.AUDIO.get(row?.r2_key as string);
    expect(new Uint8Array(await (kept as R2ObjectBody).arrayBuffer())).toEqual(bytes);
  });

  it('refuses a call the Worker never routed (404) and a business without recording bought and switched on (403)', async () => {
    expect((await upload('never-routed@test', audioBytes(100))).status).toBe(404);

    const notBought = await recordingBusiness({ purchased: false, enabled: false });
    const off = await recordingBusiness({ enabled: false });
    for (const b of [notBought, off]) {
      const res = await upload(await routedCall(b.user.id), audioBytes(100));
      expect(res.status).toBe(403);
      expect((await json(res)).code).toBe('recording_not_enabled');
      expect(await rowsOf(b.business.id)).toEqual([]);
    }
  });

  it('validates: duration, type, length known and within the limit, non-empty, checksum well formed', async () => {
    const b = await recordingBusiness();
    const callId = await routedCall(b.user.id);
    const bytes = audioBytes(100);
    expect((await upload(callId, bytes, { durationMs: null })).status).toBe(422);
    expect((await upload(callId, bytes, { durationMs: -1 })).status).toBe(422);
    expect((await upload(callId, bytes, { query: 'durationMs=1000' })).status).toBe(422);
    expect((await upload(callId, bytes, { contentType: 'audio/wav' })).status).toBe(415);
    expect((await upload(callId, new Uint8Array(0))).status).toBe(422);
    expect((await upload(callId, bytes, { sha256: 'abc' })).status).toBe(422);

    // A stream of unknown length: R2 cannot take it and the limit cannot be checked first.
    const unknown = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    expect((await upload(callId, unknown)).status).toBe(411);

    // Declared larger than the limit: refused before a byte is read.
    const huge = new FixedLengthStream(RECORDING_MAX_BYTES + 1);
    const tooLarge = await upload(callId, huge.readable);
    expect(tooLarge.status).toBe(413);
    expect(await rowsOf(b.business.id)).toEqual([]);
  });

  it('an upload that does not arrive whole leaves nothing readable behind; the retry stores it', async () => {
    const b = await recordingBusiness();
    const callId = await routedCall(b.user.id);
    const bytes = audioBytes(8000);
    const damaged = await upload(callId, bytes, { sha256: await sha256Hex(audioBytes(8000, 9)) });
    expect(damaged.status).toBe(503);
    const [half] = await rowsOf(b.business.id);
    expect(half?.state).toBe('uploading');
    expect(await env.AUDIO.head(half?.r2_key as string)).toBeNull();
    // Not listed while unfinished.
    expect((await json(await b.adminClient.get('/api/admin/recordings'))).recordings).toEqual([]);

    const retry = await upload(callId, bytes);
    expect(retry.status).toBe(201);
    expect((await json(retry)).id).toBe(half?.id);
    expect(await rowsOf(b.business.id)).toMatchObject([{ id: half?.id, state: 'ready', size_bytes: 8000 }]);
  });
});
