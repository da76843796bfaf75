import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, json, messageCount, seedBusiness, signedIn, tokenIn, waitForMessage } from './support/api';

describe('sessions', () => {
  it('lists my devices and signs one out', async () => {
    const { user } = await seedBusiness();
    const phone = await signedIn(user.email, user.password);
    const laptop = await signedIn(user.email, user.password, new Client());
    const { sessions } = await json(await phone.get('/api/auth/sessions'));
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(sessions[0].deviceLabel).toBe('Chrome on Android');

    const other = sessions.find((s: { current: boolean }) => !s.current);
    expect((await phone.del(`/api/auth/sessions/${other.id}`)).status).toBe(204);
    expect((await laptop.get('/api/me')).status).toBe(401);
    expect((await phone.get('/api/me')).status).toBe(200);
  });

  it('signs out here, and everywhere', async () => {
    const { user } = await seedBusiness();
    const a = await signedIn(user.email, user.password);
    const b = await signedIn(user.email, user.password, new Client());
    const c = await signedIn(user.email, user.password, new Client());
    expect((await a.post('/api/auth/signout')).status).toBe(204);
    expect(a.cookie).toBeUndefined();
    expect((await b.get('/api/me')).status).toBe(200);
    expect((await b.post('/api/auth/signout-everywhere')).status).toBe(204);
    expect((await c.get('/api/me')).status).toBe(401);
  });

  it('ends a session after its idle or absolute lifetime', async () => {
    const { user } = await seedBusiness();
    const client = await signedIn(user.email, user.password);
    await env.DB.prepare('UPDATE sessions SET idle_expires_at = ? WHERE user_id = ?')
      .bind(Date.now() - 1, user.id)
      .run();
    const res = await client.get('/api/me');
    expect(res.status).toBe(401);
    expect((await json(res)).code).toBe('not_signed_in');
  });

  it('changes the password, keeping this session and ending the others', async () => {
    const { user } = await seedBusiness();
    const here = await signedIn(user.email, user.password);
    const there = await signedIn(user.email, user.password, new Client());
    const wrong = await here.post('/api/auth/password', { currentPassword: 'nope', newPassword: 'brand new passphrase' });
    expect(wrong.status).toBe(422);
    expect((await json(wrong)).errors[0].field).toBe('currentPassword');
    expect((await here.post('/api/auth/password', { currentPassword: user.password, newPassword: 'brand new passphrase' })).status).toBe(
      204,
    );
    expect((await here.get('/api/me')).status).toBe(200);
    expect((await there.get('/api/me')).status).toBe(401);
    expect((await new Client().post('/api/auth/signin', { email: user.email, password: 'brand new passphrase' })).status).toBe(200);
  });

  it('resets a forgotten password by an emailed link that works once, ending every session', async () => {
    const { user } = await seedBusiness();
    const old = await signedIn(user.email, user.password);
    const requester = new Client();
    const res = await requester.post('/api/auth/password-reset', { email: user.email });
    expect(res.status).toBe(202);
    const mail = await waitForMessage(user.email);
    const token = tokenIn(mail.body);
    const done = await requester.post('/api/auth/password-reset/complete', { token, newPassword: 'after the reset passphrase' });
    expect(done.status).toBe(200);
    expect((await json(done)).user.email).toBe(user.email);
    expect((await old.get('/api/me')).status).toBe(401);
    expect((await requester.get('/api/me')).status).toBe(200);
    const twice = await new Client().post('/api/auth/password-reset/complete', { token, newPassword: 'another passphrase here' });
    expect(twice.status).toBe(404);
    expect((await new Client().post('/api/auth/signin', { email: user.email, password: 'after the reset passphrase' })).status).toBe(200);
  });

  it('answers a reset for an unknown email exactly like a known one, and sends nothing', async () => {
    const res = await new Client().post('/api/auth/password-reset', { email: 'ghost@nowhere.example' });
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({ status: 'check_email' });
    await new Promise((r) => setTimeout(r, 200));
    expect(await messageCount('ghost@nowhere.example')).toBe(0);
  });

  it('edits my name, and only my name', async () => {
    const { user } = await seedBusiness();
    const client = await signedIn(user.email, user.password);
    const res = await client.patch('/api/me', { name: 'Renamed Person', email: 'sneaky@x.example', role: 'admin' });
    expect(res.status).toBe(200);
    const me = await json(res);
    expect(me.user).toMatchObject({ name: 'Renamed Person', email: user.email, role: 'user' });
    expect((await client.patch('/api/me', { name: '' })).status).toBe(422);
  });
});
