import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../../web/src/app/App';
import { PASSWORD_MIN } from '../../web/src/auth/password-rule';
import { aMe, fakeApi, json, notSignedIn, problem } from './support/fake-api';
import { description, press, type } from './support/ui';

describe('sign-up by email', () => {
  it('shows the password rule and ends in the check-your-email state', async () => {
    const api = fakeApi({ 'GET /api/me': notSignedIn, 'POST /api/auth/signup': () => json(202, { status: 'check_email' }) });
    history.replaceState(null, '', '/signup');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Create your business account' });
    expect(screen.queryByRole('navigation', { name: 'Main' })).toBeNull();

    expect(type('Your name', 'Ada Lovelace').getAttribute('autocomplete')).toBe('name');
    expect(type('Business name', 'Analytical Engines').getAttribute('autocomplete')).toBe('organization');
    expect(type('Work email', 'ada@example.com').getAttribute('autocomplete')).toBe('email');
    const password = type('Password', 'correct horse battery');
    expect(password.getAttribute('autocomplete')).toBe('new-password');
    expect(password.getAttribute('minlength')).toBe(String(PASSWORD_MIN));
    expect(description(password)).toContain('at least 8 characters');
    press('Create account');

    await screen.findByRole('heading', { level: 1, name: 'Check your email' });
    expect(screen.getByText('ada@example.com')).toBeTruthy();
    expect(api.calls('POST /api/auth/signup')[0]?.body).toEqual({
      name: 'Ada Lovelace',
      businessName: 'Analytical Engines',
      email: 'ada@example.com',
      password: 'correct horse battery',
    });
  });
});

describe('the emailed sign-up link', () => {
  it('confirms the token and lands in the app signed in', async () => {
    const api = fakeApi({ 'GET /api/me': notSignedIn, 'POST /api/auth/signup/confirm': () => json(201, aMe({ role: 'admin' })) });
    history.replaceState(null, '', '/signup/confirm?token=tok-123');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Dialer' });
    expect(api.calls('POST /api/auth/signup/confirm').map((r) => r.body)).toEqual([{ token: 'tok-123' }]);
    expect(location.search).toBe('');
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeTruthy();
  });

  it('stays signed in when the signed-out answer to /api/me arrives after the confirmation', async () => {
    let answerMe: () => void = () => {};
    fakeApi({
      'GET /api/me': () => new Promise<Response>((resolve) => (answerMe = () => resolve(notSignedIn()))),
      'POST /api/auth/signup/confirm': () => json(201, aMe()),
    });
    history.replaceState(null, '', '/signup/confirm?token=tok-123');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Dialer' });
    answerMe();
    await new Promise((r) => setTimeout(r, 20));
    expect(location.pathname).toBe('/');
    expect(screen.getByRole('heading', { level: 1, name: 'Dialer' })).toBeTruthy();
  });

  it('shows why a trial cannot start', async () => {
    fakeApi({
      'GET /api/me': notSignedIn,
      'POST /api/auth/signup/confirm': () =>
        problem(409, 'trial_already_used', { detail: 'This email already had a free trial. Sign in, or contact us to buy a licence.' }),
    });
    history.replaceState(null, '', '/signup/confirm?token=tok-123');
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toContain('This email already had a free trial.');
    expect(screen.getByRole('link', { name: 'Sign in' })).toBeTruthy();
  });
});
