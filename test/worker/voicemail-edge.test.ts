import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { VOICEMAIL_MAX_MESSAGE_BYTES } from '../../shared/voicemail-api';
import { json, seedBusiness } from './support/api';
import { setBusinessStatus, setUserStatus } from './support/edge';
import {
  audioBytes,
  audioKeys,
  edgeGreeting,
  keyOfMessage,
  leaveMessage,
  liveEventsFor,
  messageQuery,
  putGreeting,
  uploadMessage,
  voicemailBusiness,
} from './support/voicemail';

describe('POST /api/edge/voicemail/messages', () => {
  it('is only for the media edge', async () => {
    const b = await seedBusiness({ licensed: true });
    for (const authorization of [null, 'Bearer wrong-secret', `Basic ${env.EDGE_API_SECRET}`]) {
      const res = await uploadMessage(messageQuery(b.user.id), audioBytes(100), { authorization });
      expect(res.status).toBe(401);
      expect((await json(res)).code).toBe('edge_unauthorized');
    }
    expect(await keyCount(b.user.id)).toBe(0);
  });

  it('validates the query with one problem per field', async () => {
    const b = await seedBusiness({ licensed: true });
    const { callId: _c, ...noCallId } = messageQuery(b.user.id);
    const res = await uploadMessage({ ...noCallId, durationMs: 999_999, receivedAt: 'yesterday' });
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['callId', 'durationMs', 'receivedAt']);
  });

  it('stores the audio under a key that names nobody, and the message in the owner’s mailbox', async () => {
    const b = await seedBusiness({ licensed: true });
    const query = messageQuery(b.user.id, { from: '0161 496 0001', receivedAt: 1_700_000_000_000, durationMs: 9_000 });
    const audio = audioBytes(4096, 3);
    const res = await uploadMessage(query, audio, { contentType: 'audio/ogg; codecs=opus' });
    expect(res.status).toBe(201);
    const { id } = await json(res);
    expect(id).toMatch(/^vm_/);
    const row = await env.DB.prepare('SELECT * FROM voicemail_messages WHERE id = ?').bind(id).first();
    expect(row).toMatchObject({
      business_id: b.business.id,
      user_id: b.user.id,
      call_id: query.callId,
      // Read in the business's country (GB).
      from_number: '+441614960001',
      from_user_id: null,
      received_at: 1_700_000_000_000,
      duration_ms: 9_000,
      content_type: 'audio/ogg; codecs=opus',
      size: 4096,
      heard_at: null,
    });
    const key = row?.r2_key as string;
    expect(key).toMatch(/^voicemail\/messages\/aud_[A-Za-z0-9_-]+$/);
    for (const secret of [b.user.id, b.business.id, '4960001', String(query.callId).split('@')[0] as string])
      expect(key).not.toContain(secret);
    const object = await env.AUDIO.get(key);
    expect(new Uint8Array(await (object as R2ObjectBody).arrayBuffer())).toEqual(audio);
    expect(object?.httpMetadata?.contentType).toBe('audio/ogg; codecs=opus');
  });

  it('names a colleague who called; an id from another business names nobody', async () => {
    const b = await seedBusiness({ licensed: true });
    const other = await seedBusiness();
    const fromColleague = await leaveMessage(b.user.id, { from: b.admin.id });
    const fromStranger = await leaveMessage(b.user.id, { from: other.user.id });
    const withheld = await leaveMessage(b.user.id, { from: 'anonymous' });
    const rows = await env.DB.prepare('SELECT id, from_user_id, from_number FROM voicemail_messages WHERE id IN (?, ?, ?)')
      .bind(fromColleague, fromStranger, withheld)
      .all();
    expect(rows.results).toEqual(
      expect.arrayContaining([
        { id: fromColleague, from_user_id: b.admin.id, from_number: null },
        { id: fromStranger, from_user_id: null, from_number: null },
        { id: withheld, from_user_id: null, from_number: null },
      ]),
    );
  });

  it('is idempotent on the Call-ID: a repeat answers 200 with the same id and stores no second object', async () => {
    const b = await seedBusiness({ licensed: true });
    const query = messageQuery(b.user.id);
    const first = await uploadMessage(query, audioBytes(1000));
    expect(first.status).toBe(201);
    const { id } = await json(first);
    const keysBefore = await audioKeys('voicemail/messages/');
    const again = await uploadMessage(query, audioBytes(1000));
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual({ id });
    expect(await audioKeys('voicemail/messages/')).toEqual(keysBefore);
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM voicemail_messages WHERE call_id = ?').bind(query.callId).first('n');
    expect(count).toBe(1);
  });

  it('refuses the same Call-ID for another mailbox (nobody slips audio into someone else’s)', async () => {
    const b = await seedBusiness({ licensed: true });
    const query = messageQuery(b.user.id);
    await leaveMessage(b.user.id, query);
    const res = await uploadMessage({ ...query, userId: b.admin.id });
    expect(res.status).toBe(409);
    expect((await json(res)).code).toBe('call_id_used');
  });

  it('two uploads of one call at once keep one message and one object', async () => {
    const b = await seedBusiness({ licensed: true });
    const query = messageQuery(b.user.id);
    const before = (await audioKeys('voicemail/messages/')).length;
    const answers = await Promise.all([uploadMessage(query, audioBytes(3000)), uploadMessage(query, audioBytes(3000))]);
    const ids = await Promise.all(answers.map(async (r) => (await json(r)).id));
    expect(answers.map((r) => r.status).sort()).toEqual(expect.arrayContaining([201]));
    expect(ids[0]).toBe(ids[1]);
    expect((await audioKeys('voicemail/messages/')).length).toBe(before + 1);
  });

  it('refuses unknown users and ended accounts with a problem, storing nothing', async () => {
    const b = await seedBusiness({ licensed: true });
    const before = (await audioKeys()).length;
    const unknown = await uploadMessage(messageQuery('usr_nobody_here'));
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).code).toBe('no_mailbox');
    await setUserStatus(b.business.id, b.user.id, 'terminated');
    expect((await uploadMessage(messageQuery(b.user.id))).status).toBe(404);
    await setBusinessStatus(b.business.id, 'terminated');
    expect((await uploadMessage(messageQuery(b.admin.id))).status).toBe(404);
    expect((await audioKeys()).length).toBe(before);
  });

  it('takes only audio/webm and audio/ogg', async () => {
    const b = await seedBusiness({ licensed: true });
    for (const contentType of ['audio/mpeg', 'application/octet-stream', null]) {
      const res = await uploadMessage(messageQuery(b.user.id), audioBytes(100), { contentType });
      expect(res.status).toBe(415);
      expect((await json(res)).code).toBe('unsupported_audio_type');
    }
    expect((await uploadMessage(messageQuery(b.user.id), audioBytes(100), { contentType: 'audio/webm' })).status).toBe(201);
  });

  it('refuses an empty body', async () => {
    const b = await seedBusiness({ licensed: true });
    const res = await uploadMessage(messageQuery(b.user.id), new Uint8Array(0));
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe('empty_audio');
  });

  it('refuses more than VOICEMAIL_MAX_MESSAGE_BYTES with 413, announced or streamed, and keeps nothing', async () => {
    const b = await seedBusiness({ licensed: true });
    const before = (await audioKeys()).length;
    const announced = await uploadMessage(messageQuery(b.user.id), audioBytes(VOICEMAIL_MAX_MESSAGE_BYTES + 1));
    expect(announced.status).toBe(413);
    expect((await json(announced)).code).toBe('audio_too_large');

    // Chunked (no Content-Length): refused once the limit is crossed.
    const chunk = audioBytes(1024 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await uploadMessage(messageQuery(b.user.id), stream);
    expect(streamed.status).toBe(413);
    expect((await audioKeys()).length).toBe(before);

    // Exactly the limit is fine.
    expect((await uploadMessage(messageQuery(b.user.id), audioBytes(VOICEMAIL_MAX_MESSAGE_BYTES))).status).toBe(201);
  });

  it('a body shorter than its Content-Length is refused (400 incomplete_audio) and nothing is kept', async () => {
    const b = await seedBusiness({ licensed: true });
    const before = (await audioKeys()).length;
    const short = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(audioBytes(100));
        controller.close();
      },
    });
    // workerd logs the sending side's broken pipe ("Network connection lost"): that is this test's doing, not the Worker's.
    const res = await uploadMessage(messageQuery(b.user.id), short, { headers: { 'Content-Length': '5000' } });
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe('incomplete_audio');
    expect((await audioKeys()).length).toBe(before);
    expect(await keyCount(b.user.id)).toBe(0);
  });

  it('a chunked body under the limit is stored whole', async () => {
    const b = await seedBusiness({ licensed: true });
    const parts = [audioBytes(1000, 1), audioBytes(500, 2)];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(p);
        controller.close();
      },
    });
    const res = await uploadMessage(messageQuery(b.user.id), stream);
    expect(res.status).toBe(201);
    const key = await keyOfMessage((await json(res)).id);
    const stored = new Uint8Array(await ((await env.AUDIO.get(key as string)) as R2ObjectBody).arrayBuffer());
    expect(stored).toEqual(new Uint8Array([...audioBytes(1000, 1), ...audioBytes(500, 2)]));
  });

  it('tells the owner’s devices once: new_voicemail with a stable id', async () => {
    const b = await seedBusiness({ licensed: true });
    const query = messageQuery(b.user.id, { from: '+441614960002' });
    const id = await leaveMessage(b.user.id, query);
    await uploadMessage(query);
    const events = await liveEventsFor(b.business.id, b.user.id, 'new_voicemail');
    expect(events).toEqual([
      expect.objectContaining({ kind: 'new_voicemail', id: `new_voicemail:${id}`, voicemailId: id, from: '+441614960002' }),
    ]);
    // Nobody else's devices.
    expect(await liveEventsFor(b.business.id, b.admin.id, 'new_voicemail', 0)).toEqual([]);
  });
});

describe('GET /api/edge/voicemail/greetings/:userId', () => {
  it('is only for the media edge', async () => {
    const b = await seedBusiness({ licensed: true });
    expect((await edgeGreeting(b.user.id, {}, null)).status).toBe(401);
  });

  it('404 no_greeting for the default (and for unknown users); the recording with its type and ETag otherwise; 304 when unchanged', async () => {
    const b = await voicemailBusiness();
    const none = await edgeGreeting(b.user.id);
    expect(none.status).toBe(404);
    expect((await json(none)).code).toBe('no_greeting');
    expect((await json(await edgeGreeting('usr_nobody'))).code).toBe('no_greeting');

    const audio = audioBytes(3000, 9);
    expect((await putGreeting(b.owner, audio, 4200, 'audio/ogg')).status).toBe(200);
    const res = await edgeGreeting(b.user.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('audio/ogg');
    expect(res.headers.get('Content-Length')).toBe('3000');
    const etag = res.headers.get('ETag');
    expect(etag).toMatch(/^"grt_/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(audio);

    const cached = await edgeGreeting(b.user.id, { 'If-None-Match': etag as string });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('ETag')).toBe(etag);

    // A new recording is a new ETag.
    await putGreeting(b.owner, audioBytes(2000, 4), 3000, 'audio/ogg');
    const changed = await edgeGreeting(b.user.id, { 'If-None-Match': etag as string });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).not.toBe(etag);
    await changed.arrayBuffer();
  });
});

/** How many message objects there are for a user's rows (R2 keys name nobody, so go through D1). */
async function keyCount(userId: string): Promise<number> {
  return (await env.DB.prepare('SELECT COUNT(*) AS n FROM voicemail_messages WHERE user_id = ?').bind(userId).first<number>('n')) ?? 0;
}
