import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../../web/src/app/App';
import { aMe, fakeApi, json, notSignedIn, problem } from './support/fake-api';
import { press, type } from './support/ui';

describe('a forgotten password', () => {
  it('asks for a link and answers the same whoever asks', async () => {
    const api = fakeApi({ 'GET /api/me': notSignedIn, 'POST /api/auth/password-reset': () => json(202, {}) });
    history.replaceState(null, '', '/forgot-password');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Forgot your password?' });
    expect(type('Work email', 'ada@example.com').getAttribute('autocomplete')).toBe('email');
    press('Send the link');
    await screen.findByRole('heading', { level: 1, name: 'Check your email' });
    expect(screen.getByRole('status').textContent).toContain('If ada@example.com belongs to a Softphone account');
    expect(api.calls('POST /api/auth/password-reset')[0]?.body).toEqual({ email: 'ada@example.com' });
  });

  it('sets a new password from the emailed link and signs in', async () => {
    const api = fakeApi({ 'GET /api/me': notSignedIn, 'POST /api/auth/password-reset/complete': () => json(200, aMe()) });
    history.replaceState(null, '', '/reset-password?token=reset-1');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Choose a new password' });
    expect(type('New password', 'a brand new one').getAttribute('autocomplete')).toBe('new-password');
    press('Save and sign in');
    await screen.findByRole('heading', { level: 1, name: 'Dialer' });
    expect(api.calls('POST /api/auth/password-reset/complete')[0]?.body).toEqual({ token: 'reset-1', newPassword: 'a brand new one' });
  });

  it('says when the link no longer works', async () => {
    fakeApi({
      'GET /api/me': notSignedIn,
      'POST /api/auth/password-reset/complete': () =>
        problem(400, 'token_invalid', { detail: 'This link has expired or was already used.' }),
    });
    history.replaceState(null, '', '/reset-password?token=old');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Choose a new password' });
    type('New password', 'a brand new one');
    press('Save and sign in');
    expect((await screen.findByRole('alert')).textContent).toContain('This link has expired or was already used.');
    expect(screen.getByRole('link', { name: 'Ask for a new one' }).getAttribute('href')).toBe('/forgot-password');
  });
});
