import { render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../../web/src/app/App';
import { fakeApi, notSignedIn, problem } from './support/fake-api';
import { description, press, type } from './support/ui';

async function openSignIn() {
  history.replaceState(null, '', '/signin');
  render(<App />);
  await screen.findByRole('heading', { level: 1, name: 'Sign in' });
}

describe('sign-in with email and password', () => {
  it('has the right autocomplete hints and links to the other ways in', async () => {
    fakeApi({ 'GET /api/me': notSignedIn });
    await openSignIn();
    expect(screen.getByLabelText('Work email').getAttribute('autocomplete')).toBe('email');
    expect(screen.getByLabelText('Password').getAttribute('autocomplete')).toBe('current-password');
    expect(screen.getByRole('link', { name: 'Sign in with your mobile number' }).getAttribute('href')).toBe('/signin/phone');
    expect(screen.getByRole('link', { name: 'Create a business account' }).getAttribute('href')).toBe('/signup');
    expect(screen.getByRole('link', { name: 'Forgot your password?' }).getAttribute('href')).toBe('/forgot-password');
  });

  it('shows a field error next to its field, and a problem detail in an alert', async () => {
    let attempt = 0;
    fakeApi({
      'GET /api/me': notSignedIn,
      'POST /api/auth/signin': () =>
        ++attempt === 1
          ? problem(422, 'validation_failed', {
              detail: 'Correct the fields listed in errors.',
              errors: [{ field: 'email', code: 'invalid_format', message: 'Enter an email address like name@company.com.' }],
            })
          : problem(401, 'invalid_credentials', { detail: 'That email and password do not match an account.' }),
    });
    await openSignIn();
    const email = type('Work email', 'ada@example');
    type('Password', 'whatever1');
    press('Sign in');

    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    expect(description(email)).toContain('Enter an email address like name@company.com.');
    await waitFor(() => expect(document.activeElement).toBe(email));

    type('Work email', 'ada@example.com');
    press('Sign in');
    expect((await screen.findByRole('alert')).textContent).toContain('That email and password do not match an account.');
    expect(email.getAttribute('aria-invalid')).toBeNull();
  });

  it('shows a lock-out with its detail and holds the button until the wait is over', async () => {
    fakeApi({
      'GET /api/me': notSignedIn,
      'POST /api/auth/signin': () =>
        problem(429, 'locked_out', { detail: 'Too many wrong passwords. Try again in 15 minutes.', retryAfter: 900 }),
    });
    await openSignIn();
    type('Work email', 'ada@example.com');
    type('Password', 'guess-number-6');
    press('Sign in');
    expect((await screen.findByRole('alert')).textContent).toContain('Too many wrong passwords. Try again in 15 minutes.');
    expect(screen.getByText(/You can try again in 1[45]:\d\d\./)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('disables the button while signing in', async () => {
    fakeApi({ 'GET /api/me': notSignedIn, 'POST /api/auth/signin': () => new Promise<Response>(() => {}) });
    await openSignIn();
    type('Work email', 'ada@example.com');
    type('Password', 'correct horse');
    press('Sign in');
    const button = (await screen.findByRole('button', { name: 'Signing in…' })) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
  });

  it('says the device is offline instead of failing silently', async () => {
    fakeApi({ 'GET /api/me': notSignedIn });
    await openSignIn();
    fakeApi({ 'POST /api/auth/signin': () => Promise.reject(new TypeError('Failed to fetch')) });
    type('Work email', 'ada@example.com');
    type('Password', 'correct horse');
    press('Sign in');
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not be reached|offline/);
  });
});
