import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { type Client, json, seedBusiness, signedIn } from './support/api';
import { audioBytes, keyOfMessage, leaveMessage, putGreeting, rawCall, voicemailBusiness } from './support/voicemail';

/** Every route that names one message, as another person would try it. */
function attempts(client: Client, id: string) {
  return [
    () => client.get(`/api/voicemail/${id}/audio`),
    () => rawCall(client, 'GET', `/api/voicemail/${id}/audio`, undefined, { Range: 'bytes=0-10' }),
    () => client.patch(`/api/voicemail/${id}`, { heard: true }),
    () => client.del(`/api/voicemail/${id}`),
  ];
}

describe('a message or greeting is only ever its owner’s', () => {
  it('a colleague and another business’s user get 404 for every message route, and change nothing', async () => {
    const b = await voicemailBusiness();
    const other = await seedBusiness({ licensed: true });
    const stranger = await signedIn(other.user.email, other.user.password);
    const id = await leaveMessage(b.user.id);
    const key = (await keyOfMessage(id)) as string;

    for (const client of [b.colleague, stranger]) {
      for (const attempt of attempts(client, id)) {
        const res = await attempt();
        expect(res.status).toBe(404);
        expect((await json(res)).code).toBe('not_found');
      }
      expect((await json(await client.get('/api/voicemail'))).messages).toEqual([]);
    }
    // Untouched: still there, still unheard.
    expect(await env.AUDIO.head(key)).not.toBeNull();
    expect(await json(await b.owner.get('/api/voicemail'))).toMatchObject({ unheard: 1, messages: [{ id, heard: false }] });
  });

  it('each user has their own greeting: a colleague’s upload and deletion never touch it', async () => {
    const b = await voicemailBusiness();
    const other = await seedBusiness({ licensed: true });
    const stranger = await signedIn(other.user.email, other.user.password);
    await putGreeting(b.owner, audioBytes(800, 1), 2000);

    for (const client of [b.colleague, stranger]) {
      expect(await json(await client.get('/api/voicemail/greeting'))).toMatchObject({ kind: 'default' });
      expect((await client.get('/api/voicemail/greeting/audio')).status).toBe(404);
      expect((await client.del('/api/voicemail/greeting')).status).toBe(200);
    }
    await putGreeting(b.colleague, audioBytes(900, 7), 3000);
    const mine = await b.owner.get('/api/voicemail/greeting/audio');
    expect(new Uint8Array(await mine.arrayBuffer())).toEqual(audioBytes(800, 1));
    const theirs = await b.colleague.get('/api/voicemail/greeting/audio');
    expect(new Uint8Array(await theirs.arrayBuffer())).toEqual(audioBytes(900, 7));
  });
});

describe('the licence', () => {
  it('a seat without voicemail is refused every route with 403 feature_not_licensed', async () => {
    const b = await voicemailBusiness();
    const id = await leaveMessage(b.user.id);
    await env.DB.prepare('UPDATE user_licences SET voicemail = 0 WHERE business_id = ? AND user_id = ?')
      .bind(b.business.id, b.user.id)
      .run();
    const routes = [
      () => b.owner.get('/api/voicemail'),
      () => b.owner.get(`/api/voicemail/${id}/audio`),
      () => b.owner.patch(`/api/voicemail/${id}`, { heard: true }),
      () => b.owner.del(`/api/voicemail/${id}`),
      () => b.owner.get('/api/voicemail/greeting'),
      () => putGreeting(b.owner, audioBytes(100), 2000),
      () => b.owner.get('/api/voicemail/greeting/audio'),
      () => b.owner.del('/api/voicemail/greeting'),
    ];
    for (const route of routes) {
      const res = await route();
      expect(res.status).toBe(403);
      expect((await json(res)).code).toBe('feature_not_licensed');
    }
    // Nothing changed: the message is kept for when the seat has voicemail again.
    expect(await keyOfMessage(id)).not.toBeNull();
  });

  it('a user with no seat at all is refused too', async () => {
    const b = await seedBusiness();
    const client = await signedIn(b.user.email, b.user.password);
    const res = await client.get('/api/voicemail');
    expect(res.status).toBe(403);
    expect((await json(res)).code).toBe('feature_not_licensed');
  });
});
