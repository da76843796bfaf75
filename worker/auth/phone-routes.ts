import { Hono } from 'hono';
import type { PhoneChallenge, PhoneVerifyResult } from '../../shared/auth-api';
import { phoneSignUpRequest, phoneStartRequest, phoneVerifyRequest } from '../../shared/auth-api';
import { clientAddress } from '../abuse/client-address';
import { assertNotLocked, consume, lockedOut, recordFailure, recordSuccess } from '../abuse/limits';
import { createTrialBusiness } from '../accounts/create-business';
import { loadMe } from '../accounts/me';
import { ensureNumber } from '../accounts/number-pool';
import { countryOf, requireE164 } from '../accounts/phone-numbers';
import { assertTrialAvailable } from '../accounts/trials';
import { acceptPhoneInvitation } from '../invitations/accept';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';
import { jsonBody } from '../platform/validate';
import { LIFETIMES } from './lifetimes';
import { sendSmsNow, texts } from './outbound';
import { issuePhoneTicket, readPhoneTicket } from './phone-ticket';
import { startSession } from './sessions';
import { assertMaySignIn } from './signin-routes';
import { constantTimeEqual, hmacHex, newId, sixDigitCode } from './tokens';

const codeHash = (env: Env, challengeId: string, code: string) => hmacHex(env.AUTH_SECRET, `code:${challengeId}:${code}`);

/**
 * Phone sign-in: a number, a 6-digit code by SMS, then a session. The code
 * is sent to any valid number (a number without an account may start a
 * business), so the answer never tells whether an account exists; the
 * limits keep that from becoming an SMS cannon.
 */
export const phoneRoutes = new Hono<AppEnv>()
  .post('/start', async (c) => {
    const input = await jsonBody(c, phoneStartRequest);
    const mobile = requireE164(input.mobile, input.country ?? ((c.req.raw.cf?.country as string | undefined) || 'GB'));
    await consume(c.env, 'code_send_ip', clientAddress(c.req.raw));
    await assertNotLocked(c.env, 'code_verify_mobile', mobile);
    await consume(c.env, 'code_send_mobile', mobile);

    const now = Date.now();
    const challengeId = newId('otc');
    const code = sixDigitCode();
    // A new code retires the number's earlier ones: only the latest SMS works.
    await c.env.DB.batch([
      c.env.DB.prepare('UPDATE one_time_codes SET consumed_at = ? WHERE mobile = ? AND consumed_at IS NULL').bind(now, mobile),
      c.env.DB.prepare('INSERT INTO one_time_codes (id, mobile, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').bind(
        challengeId,
        mobile,
        await codeHash(c.env, challengeId, code),
        now,
        now + LIFETIMES.code,
      ),
    ]);
    await sendSmsNow(c, mobile, texts.code(code));
    const challenge: PhoneChallenge = { challengeId, expiresAt: now + LIFETIMES.code, resendAfter: now + LIFETIMES.codeResend };
    return c.json(challenge, 202);
  })
  .post('/verify', async (c) => {
    const input = await jsonBody(c, phoneVerifyRequest);
    await consume(c.env, 'code_verify_ip', clientAddress(c.req.raw));
    const now = Date.now();
    const challenge = await c.env.DB.prepare('SELECT mobile, code_hash, attempts, expires_at, consumed_at FROM one_time_codes WHERE id = ?')
      .bind(input.challengeId)
      .first<{ mobile: string; code_hash: string; attempts: number; expires_at: number; consumed_at: number | null }>();
    if (!challenge || challenge.consumed_at !== null || challenge.expires_at <= now || challenge.attempts >= LIFETIMES.codeTries) {
      throw new Problem(400, 'code_expired', 'This code has expired', 'Request a new code.');
    }
    await assertNotLocked(c.env, 'code_verify_mobile', challenge.mobile);

    if (!constantTimeEqual(await codeHash(c.env, input.challengeId, input.code), challenge.code_hash)) {
      const tried = await c.env.DB.prepare('UPDATE one_time_codes SET attempts = attempts + 1 WHERE id = ? RETURNING attempts')
        .bind(input.challengeId)
        .first<{ attempts: number }>();
      const verdict = await recordFailure(c.env, 'code_verify_mobile', challenge.mobile);
      if (!verdict.allowed) throw lockedOut(verdict.retryAfterMs, 'sign-in with this number');
      const left = LIFETIMES.codeTries - (tried?.attempts ?? LIFETIMES.codeTries);
      if (left <= 0) throw new Problem(400, 'code_expired', 'Too many wrong tries for this code', 'Request a new code.');
      throw new Problem(
        400,
        'code_invalid',
        'That code is not right',
        `Check the SMS and try again. ${left} ${left === 1 ? 'try' : 'tries'} left.`,
      );
    }
    // Single use: of two racing requests with the right code, one wins.
    const claimed = await c.env.DB.prepare('UPDATE one_time_codes SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL')
      .bind(now, input.challengeId)
      .run();
    if (claimed.meta.changes === 0) throw new Problem(400, 'code_expired', 'This code was already used', 'Request a new code.');
    await recordSuccess(c.env, 'code_verify_mobile', challenge.mobile);

    const user = await c.env.DB.prepare(
      'SELECT u.id, u.business_id, u.status, b.status AS business_status FROM users u JOIN businesses b ON b.id = u.business_id WHERE u.mobile = ?',
    )
      .bind(challenge.mobile)
      .first<{ id: string; business_id: string; status: string; business_status: string }>();
    const member = user ?? (await acceptPhoneInvitation(c.env, challenge.mobile));
    if (!member) {
      const result: PhoneVerifyResult = {
        status: 'needs_business',
        ticket: await issuePhoneTicket(c.env.AUTH_SECRET, challenge.mobile),
        mobile: challenge.mobile,
      };
      return c.json(result);
    }
    assertMaySignIn(member);
    await ensureNumber(c.env.DB, member.business_id, member.id);
    await startSession(c, { id: member.id, businessId: member.business_id });
    const result: PhoneVerifyResult = { status: 'signed_in', me: await loadMe(c.env.DB, member.business_id, member.id) };
    return c.json(result);
  })
  .post('/signup', async (c) => {
    const input = await jsonBody(c, phoneSignUpRequest);
    const mobile = await readPhoneTicket(c.env.AUTH_SECRET, input.ticket);
    if (!mobile) throw new Problem(400, 'ticket_invalid', 'This sign-up has expired', 'Start again with your mobile number.');
    await assertTrialAvailable(c.env, [{ kind: 'phone', value: mobile }]);
    const country = input.country ?? countryOf(mobile) ?? 'GB';
    const { businessId, userId } = await createTrialBusiness(c.env, {
      businessName: input.businessName,
      country,
      admin: { name: input.name, email: null, mobile, passwordHash: null },
    });
    await ensureNumber(c.env.DB, businessId, userId);
    await startSession(c, { id: userId, businessId });
    return c.json(await loadMe(c.env.DB, businessId, userId), 201);
  });
