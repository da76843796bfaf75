import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, codeIn, forgetLimit, json, seedBusiness, signedIn, waitForMessage } from './support/api';

let seq = 100;
/** A fresh valid number from NANPA's range for fiction (555-0100…0199), in US national format and E.164. */
function mobile() {
  const n = String(seq++).padStart(4, '0');
  return { national: `(202) 555-${n}`, e164: `+1202555${n}` };
}

describe('phone sign-in', () => {
  it('normalises a national number, texts a code, and lets a new number start a trial business', async () => {
    const m = mobile();
    const client = new Client();
    const start = await client.post('/api/auth/phone/start', { mobile: m.national, country: 'US' });
    expect(start.status).toBe(202);
    const challenge = await json(start);
    expect(challenge.expiresAt - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    const sms = await waitForMessage(m.e164);
    // The code is stored only as an HMAC.
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM one_time_codes WHERE code_hash = ?').bind(codeIn(sms.body)).first('n')).toBe(0);

    const verify = await client.post('/api/auth/phone/verify', { challengeId: challenge.challengeId, code: codeIn(sms.body) });
    expect(verify.status).toBe(200);
    const result = await json(verify);
    expect(result).toMatchObject({ status: 'needs_business', mobile: m.e164 });
    expect(client.cookie).toBeUndefined();

    const signup = await client.post('/api/auth/phone/signup', { ticket: result.ticket, name: 'Pat Phone', businessName: 'Pat Plumbing' });
    expect(signup.status).toBe(201);
    const me = await json(signup);
    expect(me.user).toMatchObject({ mobile: m.e164, role: 'admin', email: null });
    expect(me.business).toMatchObject({ country: 'US', status: 'trial' });

    // Next time the same number signs straight in.
    await forgetLimit('code_send_mobile', m.e164);
    const again = new Client();
    const second = await json(await again.post('/api/auth/phone/start', { mobile: m.e164 }));
    const code = codeIn((await waitForMessage(m.e164, 1)).body);
    const signedIn = await json(await again.post('/api/auth/phone/verify', { challengeId: second.challengeId, code }));
    expect(signedIn.status).toBe('signed_in');
    expect(signedIn.me.business.id).toBe(me.business.id);

    // The same phone cannot start a second trial within a year.
    // The account is terminated and anonymised (as retention would): the number is gone from it.
    await env.DB.prepare("UPDATE users SET status = 'terminated', mobile = NULL, email = 'erased-' || id || '@erased.invalid' WHERE id = ?")
      .bind(me.user.id)
      .run();
    await forgetLimit('code_send_mobile', m.e164);
    const third = new Client();
    const ch = await json(await third.post('/api/auth/phone/start', { mobile: m.e164 }));
    const c3 = codeIn((await waitForMessage(m.e164, 2)).body);
    const r3 = await json(await third.post('/api/auth/phone/verify', { challengeId: ch.challengeId, code: c3 }));
    const refused = await third.post('/api/auth/phone/signup', { ticket: r3.ticket, name: 'Pat', businessName: 'Again' });
    expect(refused.status).toBe(409);
    expect((await json(refused)).code).toBe('trial_already_used');
  });

  it('puts an invited number into the inviting business and gives it a number from the pool', async () => {
    const { admin, business, numbers } = await seedBusiness();
    const adminClient = await signedIn(admin.email, admin.password);
    const m = mobile();
    const invite = await adminClient.post('/api/admin/invitations', { mobile: m.e164, name: 'Ivy Invited' });
    expect(invite.status).toBe(201);
    expect((await waitForMessage(m.e164)).body).toContain(business.name);

    const phone = new Client();
    const ch = await json(await phone.post('/api/auth/phone/start', { mobile: m.e164 }));
    const code = codeIn((await waitForMessage(m.e164, 1)).body);
    const result = await json(await phone.post('/api/auth/phone/verify', { challengeId: ch.challengeId, code }));
    expect(result.status).toBe('signed_in');
    expect(result.me.business.id).toBe(business.id);
    expect(result.me.user).toMatchObject({ name: 'Ivy Invited', role: 'user', mobile: m.e164 });
    expect(numbers).toContain(result.me.number.e164);
    const listed = await json(await adminClient.get('/api/admin/invitations'));
    expect(listed.invitations[0].status).toBe('accepted');
  });

  it('says what is wrong with an unreadable number', async () => {
    const res = await new Client().post('/api/auth/phone/start', { mobile: '12345', country: 'GB' });
    expect(res.status).toBe(422);
    expect((await json(res)).errors).toEqual([expect.objectContaining({ field: 'mobile', code: 'invalid_phone_number' })]);
  });

  it('counts wrong codes, and five wrong codes lock the number with a clear message', async () => {
    const m = mobile();
    const client = new Client();
    const ch = await json(await client.post('/api/auth/phone/start', { mobile: m.e164 }));
    const right = codeIn((await waitForMessage(m.e164)).body);
    const wrong = right === '000000' ? '111111' : '000000';
    const first = await client.post('/api/auth/phone/verify', { challengeId: ch.challengeId, code: wrong });
    expect(first.status).toBe(400);
    expect(await json(first)).toMatchObject({ code: 'code_invalid', detail: expect.stringContaining('4 tries left') });
    for (let i = 0; i < 3; i++) await client.post('/api/auth/phone/verify', { challengeId: ch.challengeId, code: wrong });
    const fifth = await client.post('/api/auth/phone/verify', { challengeId: ch.challengeId, code: wrong });
    expect(fifth.status).toBe(429);
    expect(await json(fifth)).toMatchObject({ code: 'locked_out', detail: expect.stringMatching(/locked for 5 minutes/) });
    // Locked: even the right code and a fresh code are refused.
    expect((await client.post('/api/auth/phone/verify', { challengeId: ch.challengeId, code: right })).status).not.toBe(200);
    expect((await client.post('/api/auth/phone/start', { mobile: m.e164 })).status).toBe(429);
  });

  it('uses a code once, retires old codes, and limits resends', async () => {
    const m = mobile();
    const client = new Client();
    const ch = await json(await client.post('/api/auth/phone/start', { mobile: m.e164 }));
    const code = codeIn((await waitForMessage(m.e164)).body);
    const again = await client.post('/api/auth/phone/start', { mobile: m.e164 });
    expect(again.status).toBe(429);
    expect((await json(again)).code).toBe('rate_limited');

    expect((await json(await client.post('/api/auth/phone/verify', { challengeId: ch.challengeId, code }))).status).toBe('needs_business');
    const reuse = await client.post('/api/auth/phone/verify', { challengeId: ch.challengeId, code });
    expect(reuse.status).toBe(400);
    expect((await json(reuse)).code).toBe('code_expired');
  });

  it('expires a code after 10 minutes and refuses a forged ticket', async () => {
    const m = mobile();
    const client = new Client();
    const ch = await json(await client.post('/api/auth/phone/start', { mobile: m.e164 }));
    const code = codeIn((await waitForMessage(m.e164)).body);
    await env.DB.prepare('UPDATE one_time_codes SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, ch.challengeId)
      .run();
    expect((await json(await client.post('/api/auth/phone/verify', { challengeId: ch.challengeId, code }))).code).toBe('code_expired');

    const forged = await client.post('/api/auth/phone/signup', {
      ticket: 'eyJtIjoiKzQ0NzcwMDkwMDk5OSIsImUiOjk5OTk5OTk5OTk5OTl9.deadbeef',
      name: 'X',
      businessName: 'Y',
    });
    expect(forged.status).toBe(400);
    expect((await json(forged)).code).toBe('ticket_invalid');
  });
});
