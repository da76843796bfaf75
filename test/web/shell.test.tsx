import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LIVE_CLOSE } from '../../shared/live-protocol';
import { App } from '../../web/src/app/App';
import { NAV_ITEMS } from '../../web/src/app/nav-items';
import { updateWaiting } from '../../web/src/app/sw-registration';
import { resetUpdatePrompt, UpdatePrompt } from '../../web/src/app/UpdatePrompt';
import { activeCallCount } from '../../web/src/calling/call-activity';
import { aMe, fakeApi, json } from './support/fake-api';
import { FakeSocket } from './support/fake-socket';

beforeEach(() => {
  // An admin is signed in: every screen, the admin page included, is open.
  fakeApi({ 'GET /api/me': () => json(200, aMe({ role: 'admin' })) });
});

afterEach(() => {
  updateWaiting.value = false;
  activeCallCount.value = 0;
  resetUpdatePrompt();
});

describe('the app shell', () => {
  it('has a link for every screen and marks the current one', async () => {
    render(<App />);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    for (const item of NAV_ITEMS) expect(nav.querySelector(`a[href="${item.path}"]`)?.textContent).toContain(item.label);
    expect(nav.querySelector('a[aria-current="page"]')?.getAttribute('href')).toBe('/');
  });

  it('routes to a screen from its URL, the admin page included', async () => {
    history.replaceState(null, '', '/admin');
    render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Business settings' })).toBeTruthy();
  });

  it('shows a not-found screen for an unknown path', async () => {
    history.replaceState(null, '', '/nowhere');
    render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
  });

  it('builds a number on the dialpad and deletes the last digit', async () => {
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Dialer' });
    for (const digit of ['0', '2', '0', '7']) fireEvent.click(screen.getByRole('button', { name: digit }));
    const input = screen.getByLabelText('Number to call') as HTMLInputElement;
    expect(input.value).toBe('0207');
    fireEvent.click(screen.getByRole('button', { name: 'Delete last digit' }));
    expect(input.value).toBe('020');
  });
});

describe('the update prompt', () => {
  it('offers a waiting version', () => {
    updateWaiting.value = true;
    render(<UpdatePrompt />);
    expect(screen.getByRole('button', { name: 'Update now' })).toBeTruthy();
  });

  it('never offers it during a call, and offers it again when the call ends', async () => {
    updateWaiting.value = true;
    activeCallCount.value = 1;
    const { container } = render(<UpdatePrompt />);
    expect(container.textContent).toBe('');
    activeCallCount.value = 0;
    expect(await screen.findByRole('button', { name: 'Update now' })).toBeTruthy();
  });
});

describe('an app the server finds out of date', () => {
  const OUT_OF_DATE = /This version of Softphone is out of date/;

  /** Opens a screen; the live channel's server answers the hello with a refusal of this app's protocol. */
  async function refused(path: string, { reload }: { reload: boolean }) {
    FakeSocket.reset();
    vi.stubGlobal('WebSocket', FakeSocket);
    history.replaceState(null, '', path);
    render(<App />);
    await waitFor(() => expect(FakeSocket.all.length).toBeGreaterThan(0));
    const socket = FakeSocket.last;
    socket.open();
    socket.deliver({ type: 'error', reason: 'incompatible_protocol', message: 'Reload to update.', reload });
    socket.serverClose(LIVE_CLOSE.incompatible);
  }

  it('is told so on any screen, with a way to update, and not during a call', async () => {
    await refused('/history', { reload: true });
    await screen.findByRole('heading', { level: 1, name: 'History' });
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toMatch(OUT_OF_DATE);
    expect(screen.getByRole('button', { name: 'Update now' })).toBeTruthy();
    activeCallCount.value = 1;
    await waitFor(() => expect(screen.queryByText(OUT_OF_DATE)).toBeNull());
    activeCallCount.value = 0;
    expect(await screen.findByText(OUT_OF_DATE)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Later' }));
    expect(screen.queryByText(OUT_OF_DATE)).toBeNull();
  });

  it('is not told to reload when it is newer than the server (reloading would not help)', async () => {
    await refused('/', { reload: false });
    await screen.findByRole('heading', { level: 1, name: 'Dialer' });
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByText(OUT_OF_DATE)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Update now' })).toBeNull();
  });
});
