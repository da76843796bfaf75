import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, json, messageCount, seedBusiness, tokenIn, waitForMessage } from './support/api';

const form = (email: string) => ({
  name: 'Grace Hopper',
  businessName: 'Hopper Labs',
  email,
  password: 'a long and unusual passphrase',
  country: 'gb',
});

describe('desktop sign-up', () => {
  it('emails a link; confirming creates a trial business with its first admin, signed in', async () => {
    const client = new Client();
    const res = await client.post('/api/auth/signup', form('Grace@Hopper.example'));
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({ status: 'check_email' });
    expect(client.cookie).toBeUndefined();
    // Nothing exists until the owner of the address confirms.
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM users WHERE email = ?').bind('grace@hopper.example').first('n')).toBe(0);

    const mail = await waitForMessage('grace@hopper.example');
    expect(mail.subject).toContain('Confirm');
    const confirmed = await client.post('/api/auth/signup/confirm', { token: tokenIn(mail.body) });
    expect(confirmed.status).toBe(201);
    const me = await json(confirmed);
    expect(me.user).toMatchObject({ name: 'Grace Hopper', email: 'grace@hopper.example', role: 'admin' });
    expect(me.business).toMatchObject({ name: 'Hopper Labs', country: 'GB', status: 'trial' });
    expect(me.business.trialEndsAt).toBeGreaterThan(Date.now());
    // A new business has no numbers yet: the user is told, the admin alerted.
    expect(me.number).toBeNull();
    expect(me.notice).toMatch(/No business number/);
    expect((await json(await client.get('/api/me'))).user.email).toBe('grace@hopper.example');
    expect((await json(await client.get('/api/admin/alerts'))).alerts.map((a: { kind: string }) => a.kind)).toEqual(['number_pool_empty']);
    // A trial comes with seats; the first admin holds one and can call.
    expect(await json(await client.get('/api/me/features'))).toMatchObject({ calling: true, voicemail: true });

    // The link works once.
    const again = await new Client().post('/api/auth/signup/confirm', { token: tokenIn(mail.body) });
    expect(again.status).toBe(404);
    expect((await json(again)).code).toBe('link_invalid');
  });

  it('answers the same for an email that has an account, and tells only its owner', async () => {
    const { admin } = await seedBusiness();
    const before = await messageCount(admin.email);
    const res = await new Client().post('/api/auth/signup', form(admin.email));
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({ status: 'check_email' });
    const mail = await waitForMessage(admin.email, before);
    expect(mail.subject).toContain('already have');
    expect(mail.body).not.toMatch(/token=/);
  });

  it('refuses a second trial for the same email within a year, even after the account is gone', async () => {
    const client = new Client();
    await client.post('/api/auth/signup', form('twice@trial.example'));
    const first = await waitForMessage('twice@trial.example');
    expect((await client.post('/api/auth/signup/confirm', { token: tokenIn(first.body) })).status).toBe(201);
    // The account is terminated and anonymised (as retention would); only the hashed registry remains.
    await env.DB.prepare(
      "UPDATE users SET status = 'terminated', email = 'erased-' || id || '@erased.invalid' WHERE email = 'twice@trial.example'",
    ).run();
    const registry = await env.DB.prepare("SELECT identity_hash, kind FROM trial_registry WHERE kind = 'email'").all<{
      identity_hash: string;
    }>();
    expect(registry.results.some((r) => r.identity_hash.includes('twice'))).toBe(false);

    const second = new Client();
    await second.post('/api/auth/signup', form('twice@trial.example'));
    const mail = await waitForMessage('twice@trial.example', 1);
    const res = await second.post('/api/auth/signup/confirm', { token: tokenIn(mail.body) });
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({ code: 'trial_already_used' });
    expect(second.cookie).toBeUndefined();
  });

  it('validates every field and refuses common passwords', async () => {
    const client = new Client();
    const bad = await client.post('/api/auth/signup', { name: '', businessName: 'X', email: 'not-an-email', password: 'short' });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'name', 'password']);

    const common = await client.post('/api/auth/signup', { ...form('c@common.example'), password: 'password123' });
    expect(common.status).toBe(422);
    expect((await json(common)).errors).toEqual([expect.objectContaining({ field: 'password', code: 'password_too_common' })]);

    // 64 characters and more are accepted.
    const long = await client.post('/api/auth/signup', {
      ...form('long@pass.example'),
      password: 'x'.repeat(40) + ' and a very long tail'.repeat(3),
    });
    expect(long.status).toBe(202);
  });
});
