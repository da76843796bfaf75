import { render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../../web/src/app/App';
import { safeNext } from '../../web/src/app/routes';
import { ME_CACHE_KEY, me } from '../../web/src/auth/session';
import { aMe, fakeApi, json, notSignedIn, problem } from './support/fake-api';
import { press, type } from './support/ui';

describe('the sign-in guard', () => {
  it('sends a signed-out user to sign-in and, once signed in, back where they were going', async () => {
    const api = fakeApi({
      'GET /api/me': notSignedIn,
      'POST /api/auth/signin': () => json(200, aMe()),
    });
    history.replaceState(null, '', '/history?filter=missed');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(location.pathname).toBe('/signin');
    expect(new URLSearchParams(location.search).get('next')).toBe('/history?filter=missed');
    expect(screen.queryByRole('navigation', { name: 'Main' })).toBeNull();

    type('Work email', 'ada@example.com');
    type('Password', 'correct horse battery');
    press('Sign in');

    await screen.findByRole('heading', { level: 1, name: 'History' });
    expect(location.pathname + location.search).toBe('/history?filter=missed');
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeTruthy();
    expect(api.calls('POST /api/auth/signin')[0]?.body).toEqual({ email: 'ada@example.com', password: 'correct horse battery' });
    expect(api.calls('POST /api/auth/signin')[0]?.credentials).toBe('same-origin');
  });

  it('shows a small loading state while it does not know yet', async () => {
    let answer: (r: Response) => void = () => {};
    fakeApi({ 'GET /api/me': () => new Promise<Response>((resolve) => (answer = resolve)) });
    render(<App />);
    expect(screen.getByRole('status').textContent).toContain('Loading');
    expect(screen.queryByRole('heading', { level: 1, name: 'Dialer' })).toBeNull();
    answer(json(200, aMe()));
    await screen.findByRole('heading', { level: 1, name: 'Dialer' });
  });

  it('takes a signed-in user from /signin to the app', async () => {
    fakeApi({ 'GET /api/me': () => json(200, aMe()) });
    history.replaceState(null, '', '/signin');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Dialer' });
    expect(location.pathname).toBe('/');
  });

  it('keeps public screens reachable when signed in, without the navigation', async () => {
    fakeApi({ 'GET /api/me': () => json(200, aMe()), 'GET /api/invitations/:token': () => problem(404, 'not_found') });
    history.replaceState(null, '', '/invite?token=abc');
    render(<App />);
    await screen.findByText(/This invitation link has expired/);
    expect(location.pathname).toBe('/invite');
    expect(screen.queryByRole('navigation', { name: 'Main' })).toBeNull();
  });

  it('links the admin page for admins only', async () => {
    fakeApi({ 'GET /api/me': () => json(200, aMe({ role: 'user' })) });
    const { unmount } = render(<App />);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(nav.querySelector('a[href="/settings"]')).toBeTruthy();
    expect(nav.querySelector('a[href="/admin"]')).toBeNull();
    unmount();

    fakeApi({ 'GET /api/me': () => json(200, aMe({ role: 'admin' })) });
    render(<App />);
    await waitFor(() => expect(screen.getByRole('navigation', { name: 'Main' }).querySelector('a[href="/admin"]')).toBeTruthy());
  });

  it('opens offline for the user this device remembers, and never caches a secret', async () => {
    const api = fakeApi({ 'GET /api/me': () => json(200, aMe()) });
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Dialer' });
    const cached = localStorage.getItem(ME_CACHE_KEY) ?? '';
    expect(JSON.parse(cached)).toEqual(aMe());
    expect(Object.keys(localStorage)).toEqual([ME_CACHE_KEY]);
    // One read of who is signed in; the phone line may already ask for its credentials (never stored).
    expect(api.seen.filter((r) => r.path === '/api/me')).toHaveLength(1);
    expect(api.seen.every((r) => r.path === '/api/me' || r.path === '/api/sip/credentials')).toBe(true);
  });

  it('renders the remembered user when /api/me cannot be reached', async () => {
    localStorage.setItem(ME_CACHE_KEY, JSON.stringify(aMe()));
    me.value = aMe(); // what the module reads from storage when the page loads
    fakeApi({ 'GET /api/me': () => Promise.reject(new TypeError('Failed to fetch')) });
    history.replaceState(null, '', '/voicemail');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Voicemail' });
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeTruthy();
  });

  it('says so when nobody is remembered and the server cannot be reached', async () => {
    fakeApi({ 'GET /api/me': () => Promise.reject(new TypeError('Failed to fetch')) });
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toContain('could not be reached');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('signs out when the session ends while the app is open', async () => {
    fakeApi({ 'GET /api/me': () => json(200, aMe()), 'GET /api/auth/sessions': notSignedIn });
    history.replaceState(null, '', '/settings');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(localStorage.getItem(ME_CACHE_KEY)).toBeNull();
    expect(new URLSearchParams(location.search).get('next')).toBe('/settings');
  });
});

describe('the way back after sign-in', () => {
  it('stays inside the app', () => {
    expect(safeNext('/history?x=1#y')).toBe('/history?x=1#y');
    expect(safeNext(undefined)).toBe('/');
    for (const evil of [
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/signin?next=/x',
    ]) {
      expect(safeNext(evil)).toBe('/');
    }
  });
});
