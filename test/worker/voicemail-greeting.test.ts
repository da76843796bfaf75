import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { GREETING_MAX_BYTES } from '../../shared/voicemail-api';
import { json } from './support/api';
import { audioBytes, edgeGreeting, putGreeting, rawCall, voicemailBusiness } from './support/voicemail';

/** The R2 key of a user's greeting, straight from D1. */
const greetingKey = (userId: string) =>
  env.DB.prepare('SELECT r2_key FROM voicemail_greetings WHERE user_id = ?').bind(userId).first<string>('r2_key');

describe('the greeting', () => {
  it('is the default until one is recorded', async () => {
    const b = await voicemailBusiness();
    const res = await b.owner.get('/api/voicemail/greeting');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ kind: 'default', audioUrl: null, durationMs: null, updatedAt: null });
    expect((await b.owner.get('/api/voicemail/greeting/audio')).status).toBe(404);
  });

  it('PUT stores the recording; GET describes it; its audio plays back with ranges', async () => {
    const b = await voicemailBusiness();
    const audio = audioBytes(5000, 2);
    const before = Date.now();
    const res = await putGreeting(b.owner, audio, 4200, 'audio/webm;codecs=opus');
    expect(res.status).toBe(200);
    const info = await json(res);
    expect(info).toMatchObject({ kind: 'custom', audioUrl: '/api/voicemail/greeting/audio', durationMs: 4200 });
    expect(info.updatedAt).toBeGreaterThanOrEqual(before);
    expect(await json(await b.owner.get('/api/voicemail/greeting'))).toEqual(info);

    const whole = await b.owner.get('/api/voicemail/greeting/audio');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('Content-Type')).toBe('audio/webm;codecs=opus');
    expect(whole.headers.get('Accept-Ranges')).toBe('bytes');
    expect(whole.headers.get('Cache-Control')).toBe('private, no-cache');
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(audio);
    const part = await rawCall(b.owner, 'GET', '/api/voicemail/greeting/audio', undefined, { Range: 'bytes=-10' });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(audio.slice(-10));

    const key = (await greetingKey(b.user.id)) as string;
    expect(key).toMatch(/^voicemail\/greetings\/aud_/);
    expect(key).not.toContain(b.user.id);
  });

  it('a new recording replaces the old one, whose audio is deleted', async () => {
    const b = await voicemailBusiness();
    await putGreeting(b.owner, audioBytes(1000, 1), 2000, 'audio/mp4');
    const oldKey = (await greetingKey(b.user.id)) as string;
    const etag = (await edgeGreeting(b.user.id)).headers.get('ETag');
    const replaced = await putGreeting(b.owner, audioBytes(1500, 2), 3000, 'audio/ogg');
    expect(await json(replaced)).toMatchObject({ kind: 'custom', durationMs: 3000 });
    const newKey = (await greetingKey(b.user.id)) as string;
    expect(newKey).not.toBe(oldKey);
    expect(await env.AUDIO.head(oldKey)).toBeNull();
    expect(await env.AUDIO.head(newKey)).not.toBeNull();
    const played = await b.owner.get('/api/voicemail/greeting/audio');
    expect(played.headers.get('Content-Type')).toBe('audio/ogg');
    expect(new Uint8Array(await played.arrayBuffer())).toEqual(audioBytes(1500, 2));
    const edge = await edgeGreeting(b.user.id);
    expect(edge.headers.get('ETag')).not.toBe(etag);
    await edge.arrayBuffer();
  });

  it('DELETE goes back to the default and removes the audio', async () => {
    const b = await voicemailBusiness();
    await putGreeting(b.owner, audioBytes(1000), 2000);
    const key = (await greetingKey(b.user.id)) as string;
    const res = await b.owner.del('/api/voicemail/greeting');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ kind: 'default', audioUrl: null, durationMs: null, updatedAt: null });
    expect(await greetingKey(b.user.id)).toBeNull();
    expect(await env.AUDIO.head(key)).toBeNull();
    expect((await edgeGreeting(b.user.id)).status).toBe(404);
    // Already the default: still fine.
    expect((await b.owner.del('/api/voicemail/greeting')).status).toBe(200);
  });

  it('validates the length, the type and the size, storing nothing refused', async () => {
    const b = await voicemailBusiness();
    for (const durationMs of ['', 'long', 100, 62_001]) {
      const res = await putGreeting(b.owner, audioBytes(100), durationMs);
      expect(res.status).toBe(422);
      expect((await json(res)).errors[0].field).toBe('durationMs');
    }
    const wrongType = await putGreeting(b.owner, audioBytes(100), 2000, 'video/webm');
    expect(wrongType.status).toBe(415);
    const tooLarge = await putGreeting(b.owner, audioBytes(GREETING_MAX_BYTES + 1), 2000);
    expect(tooLarge.status).toBe(413);
    expect((await json(tooLarge)).code).toBe('audio_too_large');
    const empty = await putGreeting(b.owner, new Uint8Array(0), 2000);
    expect(empty.status).toBe(400);
    expect(await greetingKey(b.user.id)).toBeNull();
    expect(await json(await b.owner.get('/api/voicemail/greeting'))).toMatchObject({ kind: 'default' });
  });

  it('is refused from another site', async () => {
    const b = await voicemailBusiness();
    const res = await rawCall(b.owner, 'PUT', '/api/voicemail/greeting?durationMs=2000', audioBytes(100), {
      'Content-Type': 'audio/webm',
      Origin: 'https://evil.example',
    });
    expect(res.status).toBe(403);
    expect(await greetingKey(b.user.id)).toBeNull();
  });
});
