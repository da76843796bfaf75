import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, json } from './support/api';
import { created } from './support/contacts';
import { audioBytes, keyOfMessage, leaveMessage, rawCall, voicemailBusiness } from './support/voicemail';

describe('GET /api/voicemail', () => {
  it('lists the owner’s messages newest first, with contact and colleague names and the unheard count', async () => {
    const b = await voicemailBusiness();
    await created(b.owner, { firstName: 'Grace', lastName: 'Hopper', company: '', numbers: [{ label: 'work', value: '0161 496 0007' }] });
    const t = Date.now() - 3_600_000;
    const fromContact = await leaveMessage(b.user.id, { from: '+441614960007', receivedAt: t + 2000, durationMs: 4000 });
    const fromColleague = await leaveMessage(b.user.id, { from: b.admin.id, receivedAt: t + 3000, durationMs: 5000 });
    const fromStranger = await leaveMessage(b.user.id, { from: '+33142685300', receivedAt: t + 1000, durationMs: 6000 });
    // The colleague's own mailbox is not listed.
    await leaveMessage(b.admin.id, { from: b.user.id });

    const res = await b.owner.get('/api/voicemail');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    const inbox = await json(res);
    expect(inbox.unheard).toBe(3);
    expect(inbox.messages).toEqual([
      {
        id: fromColleague,
        fromNumber: null,
        fromUser: { userId: b.admin.id, name: 'Admin' },
        contactName: null,
        receivedAt: t + 3000,
        durationMs: 5000,
        heard: false,
        audioUrl: `/api/voicemail/${fromColleague}/audio`,
      },
      expect.objectContaining({ id: fromContact, fromNumber: '+441614960007', fromUser: null, contactName: 'Grace Hopper' }),
      expect.objectContaining({ id: fromStranger, fromNumber: '+33142685300', contactName: null }),
    ]);
  });

  it('needs a session', async () => {
    const res = await new Client().get('/api/voicemail');
    expect(res.status).toBe(401);
  });
});

describe('PATCH /api/voicemail/:id', () => {
  it('marks heard and unheard; the count follows', async () => {
    const b = await voicemailBusiness();
    const id = await leaveMessage(b.user.id);
    const heard = await b.owner.patch(`/api/voicemail/${id}`, { heard: true });
    expect(heard.status).toBe(200);
    expect(await json(heard)).toMatchObject({ id, heard: true });
    expect((await json(await b.owner.get('/api/voicemail'))).unheard).toBe(0);
    const firstHeard = await env.DB.prepare('SELECT heard_at FROM voicemail_messages WHERE id = ?').bind(id).first<number>('heard_at');
    // Hearing it again keeps the first time.
    await b.owner.patch(`/api/voicemail/${id}`, { heard: true });
    expect(await env.DB.prepare('SELECT heard_at FROM voicemail_messages WHERE id = ?').bind(id).first('heard_at')).toBe(firstHeard);

    expect(await json(await b.owner.patch(`/api/voicemail/${id}`, { heard: false }))).toMatchObject({ heard: false });
    expect((await json(await b.owner.get('/api/voicemail'))).unheard).toBe(1);
  });

  it('validates the body', async () => {
    const b = await voicemailBusiness();
    const id = await leaveMessage(b.user.id);
    const res = await b.owner.patch(`/api/voicemail/${id}`, { heard: 'yes' });
    expect(res.status).toBe(422);
    expect((await json(res)).errors[0].field).toBe('heard');
    const notJson = await b.owner.call('PATCH', `/api/voicemail/${id}`, undefined, { 'Content-Type': 'application/json' });
    expect(notJson.status).toBe(400);
  });

  it('an unknown or malformed id is 404', async () => {
    const b = await voicemailBusiness();
    for (const id of ['vm_doesnotexist', 'not-an-id', `vm_${'x'.repeat(80)}`]) {
      const res = await b.owner.patch(`/api/voicemail/${id}`, { heard: true });
      expect(res.status).toBe(404);
      expect((await json(res)).code).toBe('not_found');
    }
  });
});

describe('DELETE /api/voicemail/:id', () => {
  it('removes the message and its audio', async () => {
    const b = await voicemailBusiness();
    const id = await leaveMessage(b.user.id);
    const key = (await keyOfMessage(id)) as string;
    expect(await env.AUDIO.head(key)).not.toBeNull();
    const res = await b.owner.del(`/api/voicemail/${id}`);
    expect(res.status).toBe(204);
    expect(await keyOfMessage(id)).toBeNull();
    expect(await env.AUDIO.head(key)).toBeNull();
    expect((await b.owner.del(`/api/voicemail/${id}`)).status).toBe(404);
    expect((await b.owner.get(`/api/voicemail/${id}/audio`)).status).toBe(404);
  });
});

describe('GET /api/voicemail/:id/audio', () => {
  const SIZE = 10_000;
  const audio = audioBytes(SIZE, 5);

  async function message() {
    const b = await voicemailBusiness();
    const id = await leaveMessage(b.user.id, {}, audio);
    const get = (range?: string) => rawCall(b.owner, 'GET', `/api/voicemail/${id}/audio`, undefined, range ? { Range: range } : {});
    return { b, id, get };
  }

  it('the whole audio without a Range, saying ranges are welcome and keeping it out of shared caches', async () => {
    const { get } = await message();
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('audio/ogg');
    expect(res.headers.get('Accept-Ranges')).toBe('bytes');
    expect(res.headers.get('Content-Length')).toBe(String(SIZE));
    expect(res.headers.get('Cache-Control')).toBe('private');
    expect(res.headers.get('Content-Range')).toBeNull();
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(audio);
  });

  it('the first bytes (bytes=0-99)', async () => {
    const { get } = await message();
    const res = await get('bytes=0-99');
    expect(res.status).toBe(206);
    expect(res.headers.get('Content-Range')).toBe(`bytes 0-99/${SIZE}`);
    expect(res.headers.get('Content-Length')).toBe('100');
    expect(res.headers.get('Accept-Ranges')).toBe('bytes');
    expect(res.headers.get('Cache-Control')).toBe('private');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(audio.slice(0, 100));
  });

  it('a middle range, its end clamped to the audio', async () => {
    const { get } = await message();
    const res = await get('bytes=9990-20000');
    expect(res.status).toBe(206);
    expect(res.headers.get('Content-Range')).toBe(`bytes 9990-9999/${SIZE}`);
    expect(res.headers.get('Content-Length')).toBe('10');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(audio.slice(9990));
  });

  it('a suffix (bytes=-500): the last 500 bytes; a suffix longer than the audio is all of it', async () => {
    const { get } = await message();
    const res = await get('bytes=-500');
    expect(res.status).toBe(206);
    expect(res.headers.get('Content-Range')).toBe(`bytes ${SIZE - 500}-${SIZE - 1}/${SIZE}`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(audio.slice(SIZE - 500));
    const all = await get('bytes=-50000');
    expect(all.status).toBe(206);
    expect(all.headers.get('Content-Range')).toBe(`bytes 0-${SIZE - 1}/${SIZE}`);
    expect((await all.arrayBuffer()).byteLength).toBe(SIZE);
  });

  it('open-ended (bytes=4000-): from there to the end', async () => {
    const { get } = await message();
    const res = await get('bytes=4000-');
    expect(res.status).toBe(206);
    expect(res.headers.get('Content-Range')).toBe(`bytes 4000-${SIZE - 1}/${SIZE}`);
    expect(res.headers.get('Content-Length')).toBe(String(SIZE - 4000));
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(audio.slice(4000));
  });

  it('416 past the end (and for an empty suffix), with Content-Range: bytes */size', async () => {
    const { get } = await message();
    for (const range of [`bytes=${SIZE}-`, 'bytes=20000-30000', 'bytes=-0']) {
      const res = await get(range);
      expect(res.status).toBe(416);
      expect(res.headers.get('Content-Range')).toBe(`bytes */${SIZE}`);
      expect((await json(res)).code).toBe('range_not_satisfiable');
    }
  });

  it('a Range it may ignore (malformed, another unit, several ranges) gets the whole audio', async () => {
    const { get } = await message();
    for (const range of ['bytes=5-1', 'items=0-5', 'bytes=0-1,5-6', 'bytes=abc']) {
      const res = await get(range);
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(SIZE);
    }
  });
});
