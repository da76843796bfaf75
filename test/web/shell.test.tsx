import { fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../web/src/app/App';
import { NAV_ITEMS } from '../../web/src/app/nav-items';
import { updateWaiting } from '../../web/src/app/sw-registration';
import { UpdatePrompt } from '../../web/src/app/UpdatePrompt';
import { activeCallCount } from '../../web/src/calling/call-activity';
import { aMe, fakeApi, json } from './support/fake-api';

beforeEach(() => {
  // An admin is signed in: every screen, the admin page included, is open.
  fakeApi({ 'GET /api/me': () => json(200, aMe({ role: 'admin' })) });
});

afterEach(() => {
  updateWaiting.value = false;
  activeCallCount.value = 0;
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
