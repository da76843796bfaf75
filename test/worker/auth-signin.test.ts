import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { PASSWORD_PARAMS } from '../../worker/auth/password';
import { Client, json, seedBusiness } from './support/api';

describe('email and password sign-in', () => {
  it('signs in with a secure, HttpOnly, SameSite=Strict session cookie and allocates a number', async () => {
    const { admin, numbers } = await seedBusiness();
    const client = new Client();
    const res = await client.post('/api/auth/signin', { email: admin.email.toUpperCase(), password: admin.password });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/^__Host-sp_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    const me = await json(res);
    expect(me.user.email).toBe(admin.email);
    expect(numbers).toContain(me.number.e164);
    // The token is stored only as a hash.
    const token = client.cookie?.split('=')[1] ?? '';
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM sessions WHERE token_hash = ?').bind(token).first('n')).toBe(0);
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const { admin } = await seedBusiness();
    const wrong = await new Client().post('/api/auth/signin', { email: admin.email, password: 'not the password' });
    const unknown = await new Client().post('/api/auth/signin', { email: 'nobody@nowhere.example', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await json(wrong), await json(unknown)];
    expect({ code: a.code, title: a.title, detail: a.detail }).toEqual({ code: b.code, title: b.title, detail: b.detail });
    expect(a.code).toBe('invalid_credentials');
  });

  it('locks the account after 5 wrong passwords, even against the right one, with a clear message', async () => {
    const { admin } = await seedBusiness();
    for (let i = 0; i < 4; i++)
      expect((await new Client().post('/api/auth/signin', { email: admin.email, password: `wrong ${i}` })).status).toBe(401);
    const fifth = await new Client().post('/api/auth/signin', { email: admin.email, password: 'wrong 5' });
    expect(fifth.status).toBe(429);
    const body = await json(fifth);
    expect(body.code).toBe('locked_out');
    expect(body.detail).toMatch(/locked for 1 minute/);
    expect(Number(fifth.headers.get('Retry-After'))).toBeGreaterThan(0);
    const right = await new Client().post('/api/auth/signin', { email: admin.email, password: admin.password });
    expect(right.status).toBe(429);
  });

  it('limits attempts from one address across accounts', async () => {
    const client = new Client('203.0.113.77');
    let last = 0;
    for (let i = 0; i < 31; i++)
      last = (await client.post('/api/auth/signin', { email: `spray${i}@x.example`, password: 'Summer2026!' })).status;
    expect(last).toBe(429);
  });

  it('refuses a suspended user and a suspended business', async () => {
    const a = await seedBusiness();
    await env.DB.prepare("UPDATE users SET status = 'suspended' WHERE id = ?").bind(a.user.id).run();
    const res = await new Client().post('/api/auth/signin', { email: a.user.email, password: a.user.password });
    expect(res.status).toBe(403);
    expect((await json(res)).code).toBe('account_disabled');

    const b = await seedBusiness({ status: 'suspended' });
    expect((await json(await new Client().post('/api/auth/signin', { email: b.admin.email, password: b.admin.password }))).code).toBe(
      'business_disabled',
    );
  });

  it('rehashes a password stored with older parameters', async () => {
    const { user } = await seedBusiness();
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(user.password), 'PBKDF2', false, ['deriveBits']);
    const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 1000 }, key, 256));
    const b64 = (u: Uint8Array) => btoa(String.fromCharCode(...u));
    const legacy = `pbkdf2-sha256$1000$${b64(salt)}$${b64(bits)}`;
    await env.DB.prepare('UPDATE users SET password_hash = ? WHERE id = ?').bind(legacy, user.id).run();
    expect((await new Client().post('/api/auth/signin', { email: user.email, password: user.password })).status).toBe(200);
    const stored = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?').bind(user.id).first<string>('password_hash');
    expect(stored?.startsWith(`pbkdf2-sha256$${PASSWORD_PARAMS.iterations}$`)).toBe(true);
  });

  it('refuses a state-changing request from another origin', async () => {
    const { admin } = await seedBusiness();
    const res = await new Client().call(
      'POST',
      '/api/auth/signin',
      { email: admin.email, password: admin.password },
      { Origin: 'https://evil.example' },
    );
    expect(res.status).toBe(403);
    expect((await json(res)).code).toBe('bad_origin');
  });
});
