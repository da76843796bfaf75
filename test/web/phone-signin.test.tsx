import { render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { PhoneChallenge } from '../../shared/auth-api';
import { App } from '../../web/src/app/App';
import { aMe, fakeApi, json, notSignedIn, problem } from './support/fake-api';
import { press, type } from './support/ui';

function challenge(id: string, resendInMs = 30_000): PhoneChallenge {
  return { challengeId: id, expiresAt: Date.now() + 600_000, resendAfter: Date.now() + resendInMs };
}

async function openPhoneSignIn(path = '/signin/phone') {
  history.replaceState(null, '', path);
  render(<App />);
  await screen.findByRole('heading', { level: 1, name: 'Sign in with your mobile' });
}

describe('sign-in with a mobile number', () => {
  it('goes mobile → code → business details → signed in', async () => {
    const newMe = aMe({ role: 'admin', user: { email: null, mobile: '+447700900123' } });
    const api = fakeApi({
      'GET /api/me': notSignedIn,
      'POST /api/auth/phone/start': () => json(202, challenge('ch1')),
      'POST /api/auth/phone/verify': () => json(200, { status: 'needs_business', ticket: 'tk1', mobile: '+447700900123' }),
      'POST /api/auth/phone/signup': () => json(201, newMe),
    });
    await openPhoneSignIn();
    const mobile = type('Mobile number', '07700 900123');
    expect(mobile.getAttribute('autocomplete')).toBe('tel');
    expect(mobile.getAttribute('type')).toBe('tel');
    press('Text me a code');

    await screen.findByRole('heading', { level: 1, name: 'Enter the code' });
    expect(api.calls('POST /api/auth/phone/start')[0]?.body).toEqual({ mobile: '07700 900123' });
    const code = screen.getByLabelText('6-digit code');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(code.getAttribute('inputmode')).toBe('numeric');
    await waitFor(() => expect(document.activeElement).toBe(code));
    type('6-digit code', '123 456');
    press('Continue');

    await screen.findByRole('heading', { level: 1, name: 'Set up your business' });
    expect(api.calls('POST /api/auth/phone/verify')[0]?.body).toEqual({ challengeId: 'ch1', code: '123456' });
    expect(screen.getByLabelText('Your name').getAttribute('autocomplete')).toBe('name');
    expect(screen.getByLabelText('Business name').getAttribute('autocomplete')).toBe('organization');
    type('Your name', 'Grace Hopper');
    type('Business name', 'Cobol Plumbing');
    press('Start my free trial');

    await screen.findByRole('heading', { level: 1, name: 'Dialer' });
    expect(api.calls('POST /api/auth/phone/signup')[0]?.body).toEqual({
      ticket: 'tk1',
      name: 'Grace Hopper',
      businessName: 'Cobol Plumbing',
    });
    expect(location.pathname).toBe('/');
  });

  it('signs a known number straight in, back to where the user was going', async () => {
    fakeApi({
      'GET /api/me': notSignedIn,
      'POST /api/auth/phone/start': () => json(202, challenge('ch1')),
      'POST /api/auth/phone/verify': () => json(200, { status: 'signed_in', me: aMe() }),
    });
    await openPhoneSignIn('/signin/phone?next=%2Fvoicemail');
    type('Mobile number', '+447700900123');
    press('Text me a code');
    await screen.findByLabelText('6-digit code');
    type('6-digit code', '654321');
    press('Continue');
    await screen.findByRole('heading', { level: 1, name: 'Voicemail' });
  });

  it('shows how many tries are left for a wrong code, and a lock-out', async () => {
    let tries = 0;
    fakeApi({
      'GET /api/me': notSignedIn,
      'POST /api/auth/phone/start': () => json(202, challenge('ch1')),
      'POST /api/auth/phone/verify': () =>
        ++tries === 1
          ? problem(400, 'code_invalid', { detail: 'That code is not right. 2 tries left.' })
          : problem(429, 'locked_out', { detail: 'Too many wrong codes. Try again in 30 minutes.', retryAfter: 1800 }),
    });
    await openPhoneSignIn();
    type('Mobile number', '07700900123');
    press('Text me a code');
    await screen.findByLabelText('6-digit code');
    type('6-digit code', '000000');
    press('Continue');
    expect((await screen.findByRole('alert')).textContent).toContain('That code is not right. 2 tries left.');
    press('Continue');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Too many wrong codes. Try again in 30 minutes.'));
    expect((screen.getByRole('button', { name: 'Continue' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('asks for all six digits before sending', async () => {
    const api = fakeApi({ 'GET /api/me': notSignedIn, 'POST /api/auth/phone/start': () => json(202, challenge('ch1')) });
    await openPhoneSignIn();
    type('Mobile number', '07700900123');
    press('Text me a code');
    const code = await screen.findByLabelText('6-digit code');
    type('6-digit code', '123');
    press('Continue');
    await waitFor(() => expect(code.getAttribute('aria-invalid')).toBe('true'));
    expect(api.calls('POST /api/auth/phone/verify')).toHaveLength(0);
  });

  it('offers a new code only once resendAfter has passed, with a countdown', async () => {
    let sent = 0;
    const api = fakeApi({
      'GET /api/me': notSignedIn,
      'POST /api/auth/phone/start': () => json(202, ++sent === 1 ? challenge('ch1', 30_000) : challenge('ch2', 60_000)),
    });
    await openPhoneSignIn();
    type('Mobile number', '07700900123');
    press('Text me a code');
    await screen.findByLabelText('6-digit code');
    const resend = screen.getByRole('button', { name: 'Send a new code' }) as HTMLButtonElement;
    expect(resend.disabled).toBe(true);
    expect(screen.getByText(/You can ask for a new code in 0:(29|30)\./)).toBeTruthy();
    expect(api.calls('POST /api/auth/phone/start')).toHaveLength(1);

    // The server's earliest resend time has come.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    await waitFor(() => expect(resend.disabled).toBe(false), { timeout: 2500 });
    press('Send a new code');
    await screen.findByText('We sent a new code. Use the newest one.');
    expect(api.calls('POST /api/auth/phone/start')).toHaveLength(2);
    expect(resend.disabled).toBe(true);
  });
});
