import { render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { Me, SessionInfo } from '../../shared/auth-api';
import { App } from '../../web/src/app/App';
import { ME_CACHE_KEY } from '../../web/src/auth/session';
import { aMe, fakeApi, json, noContent, problem } from './support/fake-api';
import { press, type } from './support/ui';

const now = Date.now();
const sessions: SessionInfo[] = [
  { id: 's-old', deviceLabel: 'Safari on iPhone', createdAt: now - 9e8, lastSeenAt: now - 8e8, current: false },
  { id: 's-here', deviceLabel: 'Chrome on Linux', createdAt: now - 1e8, lastSeenAt: now, current: true },
  { id: 's-2', deviceLabel: 'Chrome on Android', createdAt: now - 5e8, lastSeenAt: now - 1e6, current: false },
];

async function openSettings(routes: Parameters<typeof fakeApi>[0] = {}, user: Me = aMe()) {
  const api = fakeApi({
    'GET /api/me': () => json(200, user),
    'GET /api/auth/sessions': () => json(200, { sessions }),
    ...routes,
  });
  history.replaceState(null, '', '/settings');
  render(<App />);
  await screen.findByRole('heading', { level: 1, name: 'Settings' });
  return api;
}

function devices() {
  return within(screen.getByRole('region', { name: 'Your devices' }));
}

describe('settings', () => {
  it('lists my devices, this one first and marked, and signs another out by its id', async () => {
    const api = await openSettings({ 'DELETE /api/auth/sessions/:id': () => noContent() });
    const items = await devices().findAllByRole('listitem');
    expect(items.map((li) => li.querySelector('strong')?.textContent)).toEqual([
      'Chrome on Linux',
      'Chrome on Android',
      'Safari on iPhone',
    ]);
    expect(items[0]?.textContent).toContain('This device');
    expect(within(items[0] as HTMLElement).queryByRole('button')).toBeNull();

    const signOutAndroid = within(items[1] as HTMLElement).getByRole('button', { name: /^Sign out Chrome on Android/ });
    signOutAndroid.click();
    await waitFor(() => expect(devices().getAllByRole('listitem')).toHaveLength(2));
    expect(api.calls('DELETE /api/auth/sessions/s-2')).toHaveLength(1);
    expect(devices().queryByText('Chrome on Android')).toBeNull();
  });

  it('shows the profile with email and mobile read-only, the business and its number or the notice', async () => {
    await openSettings({}, aMe({ number: null, notice: 'No number was free for your area. We will assign one soon.' }));
    const profile = within(screen.getByRole('region', { name: 'Profile' }));
    expect((profile.getByLabelText('Your name') as HTMLInputElement).value).toBe('Ada Lovelace');
    expect(profile.getByText('ada@example.com')).toBeTruthy();
    expect(profile.getByText('+447700900123')).toBeTruthy();
    expect(profile.queryByLabelText('Email')).toBeNull();
    const business = within(screen.getByRole('region', { name: 'Business' }));
    expect(business.getByText('Analytical Engines Ltd')).toBeTruthy();
    expect(business.getByText('Not allocated yet')).toBeTruthy();
    expect(business.getByText('No number was free for your area. We will assign one soon.')).toBeTruthy();
    expect(business.queryByRole('link', { name: 'Business settings' })).toBeNull();
  });

  it('links admins to the business settings and shows the number', async () => {
    await openSettings({}, aMe({ role: 'admin' }));
    const business = within(screen.getByRole('region', { name: 'Business' }));
    expect(business.getByText('+442071838750')).toBeTruthy();
    expect(business.getByRole('link', { name: 'Business settings' }).getAttribute('href')).toBe('/admin');
  });

  it('renames me and keeps the cached profile current', async () => {
    const api = await openSettings({ 'PATCH /api/me': () => json(200, aMe({ user: { name: 'Ada King' } })) });
    type('Your name', 'Ada King');
    press('Save');
    await screen.findByText('Saved.');
    expect(api.calls('PATCH /api/me')[0]?.body).toEqual({ name: 'Ada King' });
    expect(JSON.parse(localStorage.getItem(ME_CACHE_KEY) ?? '{}').user.name).toBe('Ada King');
  });

  it('changes the password and lists the devices again', async () => {
    let listed = 0;
    const api = await openSettings({
      'GET /api/auth/sessions': () => json(200, { sessions: ++listed === 1 ? sessions : sessions.filter((s) => s.current) }),
      'POST /api/auth/password': () => noContent(),
    });
    await devices().findByText('Safari on iPhone');
    expect(type('Current password', 'old password').getAttribute('autocomplete')).toBe('current-password');
    expect(type('New password', 'new password!').getAttribute('autocomplete')).toBe('new-password');
    press('Change password');
    await screen.findByText('Your password was changed. Your other devices were signed out.');
    expect(api.calls('POST /api/auth/password')[0]?.body).toEqual({ currentPassword: 'old password', newPassword: 'new password!' });
    await waitFor(() => expect(devices().getAllByRole('listitem')).toHaveLength(1));
  });

  it('shows a wrong current password next to the field', async () => {
    await openSettings({
      'POST /api/auth/password': () =>
        problem(422, 'validation_failed', {
          errors: [{ field: 'currentPassword', code: 'wrong', message: 'That is not your current password.' }],
        }),
    });
    const current = type('Current password', 'nope');
    type('New password', 'new password!');
    press('Change password');
    await waitFor(() => expect(current.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('That is not your current password.')).toBeTruthy();
  });

  it('signs out: the server first, then this device forgets the user', async () => {
    const api = await openSettings({ 'POST /api/auth/signout': () => noContent() });
    press('Sign out');
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(api.calls('POST /api/auth/signout')).toHaveLength(1);
    expect(location.pathname + location.search).toBe('/signin');
    expect(localStorage.getItem(ME_CACHE_KEY)).toBeNull();
  });

  it('signs out everywhere', async () => {
    const api = await openSettings({ 'POST /api/auth/signout-everywhere': () => noContent() });
    press('Sign out everywhere');
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(api.calls('POST /api/auth/signout-everywhere')).toHaveLength(1);
  });

  it('stays signed in and says why when signing out fails offline', async () => {
    await openSettings({ 'POST /api/auth/signout': () => Promise.reject(new TypeError('Failed to fetch')) });
    press('Sign out');
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not be reached|offline/);
    expect(localStorage.getItem(ME_CACHE_KEY)).not.toBeNull();
  });
});
