import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceEntry } from '../../shared/live-protocol';
import type { Colleague } from '../../shared/presence-api';
import { App } from '../../web/src/app/App';
import { me } from '../../web/src/auth/session';
import { registration } from '../../web/src/calling/line';
import { dial } from '../../web/src/calling/phone';
import { resetColleagues } from '../../web/src/presence/colleagues';
import { aMe, fakeApi, json, problem } from './support/fake-api';
import { FakeSocket } from './support/fake-socket';

// The line cannot register in jsdom: a tap's call is seen here, the real one in test/e2e/presence.test.ts.
vi.mock('../../web/src/calling/phone', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../web/src/calling/phone')>()),
  dial: vi.fn(async () => undefined),
}));

const colleagues: Colleague[] = [
  { userId: 'u2', name: 'Grace Hopper', extension: '201', state: 'offline', dnd: false },
  { userId: 'u3', name: 'Alan Turing', extension: null, state: 'offline', dnd: true },
];
const entry = (userId: string, state: PresenceEntry['state'], dnd = false, dndChangedAt: number | null = null): PresenceEntry => ({
  userId,
  state,
  dnd,
  dndChangedAt,
});

beforeEach(() => {
  FakeSocket.reset();
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.mocked(dial).mockClear();
  resetColleagues();
});

async function openDialer(routes: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({
    'GET /api/me': () => json(200, aMe()),
    'GET /api/presence/colleagues': () => json(200, { colleagues }),
    ...routes,
  });
  render(<App />);
  await screen.findByRole('heading', { level: 1, name: 'Dialer' });
  await waitFor(() => expect(FakeSocket.all.length).toBeGreaterThan(0));
  return api;
}

function list() {
  return within(screen.getByRole('region', { name: 'Colleagues' }));
}

function row(name: string): HTMLElement {
  const item = list()
    .getAllByRole('listitem')
    .find((li) => li.textContent?.includes(name));
  if (!item) throw new Error(`no row for ${name}`);
  return item;
}

describe('colleagues', () => {
  it('lists colleagues by name, live, with one-tap calling', async () => {
    const api = await openDialer();
    const socket = FakeSocket.last;
    expect(socket.url).toBe(`ws://${location.host}/api/live`);
    // Nothing is fetched before the live channel is up.
    expect(api.calls('GET /api/presence/colleagues')).toHaveLength(0);
    socket.welcome([entry('u1', 'available'), entry('u2', 'available'), entry('u3', 'offline', true, 5)]);
    await waitFor(() => expect(list().getAllByRole('listitem')).toHaveLength(2));
    expect(row('Grace Hopper').textContent).toContain('Available');
    expect(row('Alan Turing').textContent).toContain('Offline');
    // A colleague with an extension is dialled by it, as a person would; one without, by user id.
    expect(row('Grace Hopper').textContent).toContain('Ext. 201');
    expect(within(row('Grace Hopper')).getByRole('link', { name: 'Call Grace Hopper' }).getAttribute('href')).toBe('/?dial=201');
    expect(within(row('Alan Turing')).getByRole('link', { name: 'Call Alan Turing' }).getAttribute('href')).toBe('/?dial=u3');

    socket.deliver({ type: 'presence', cause: 'dnd', user: entry('u2', 'dnd', true, 10) });
    await waitFor(() => expect(row('Grace Hopper').textContent).toContain('Do not disturb'));
    socket.deliver({ type: 'presence', cause: 'call', user: entry('u3', 'on_call', true, 5) });
    await waitFor(() => expect(row('Alan Turing').textContent).toContain('On a call · Do not disturb'));
  });

  it('calls a colleague in one tap once the line is ready: their extension, else their user id', async () => {
    await openDialer();
    FakeSocket.last.welcome([entry('u1', 'available'), entry('u2', 'available')]);
    const grace = await list().findByRole('link', { name: 'Call Grace Hopper' });
    // The line here has no edge to reach: once it has given up, play it ready.
    await waitFor(() => expect(registration.value).toBe('error'));
    registration.value = 'ready';

    fireEvent.click(grace);
    expect(dial).toHaveBeenCalledWith('201');
    fireEvent.click(list().getByRole('link', { name: 'Call Alan Turing' }));
    expect(dial).toHaveBeenLastCalledWith('u3');
    // Called, not navigated: the box stays empty and the address is the dialer's.
    expect(location.pathname + location.search).toBe('/');
    expect((screen.getByLabelText('Number to call') as HTMLInputElement).value).toBe('');
  });

  it('fills the dialer instead while the line is not ready, for each tap, not only the first', async () => {
    await openDialer();
    FakeSocket.last.welcome([entry('u1', 'available')]);
    await waitFor(() => expect(registration.value).toBe('error'));
    const box = screen.getByLabelText('Number to call') as HTMLInputElement;

    fireEvent.click(await list().findByRole('link', { name: 'Call Grace Hopper' }));
    await waitFor(() => expect(box.value).toBe('201'));
    // Read, then the address is plain `/` again: a reload does not bring the number back.
    await waitFor(() => expect(location.search).toBe(''));
    fireEvent.click(list().getByRole('link', { name: 'Call Alan Turing' }));
    await waitFor(() => expect(box.value).toBe('u3'));
    fireEvent.click(list().getByRole('link', { name: 'Call Grace Hopper' }));
    await waitFor(() => expect(box.value).toBe('201'));
    expect(dial).not.toHaveBeenCalled();
  });

  it('loads the list again when someone new appears', async () => {
    const api = await openDialer();
    FakeSocket.last.welcome([entry('u1', 'available')]);
    await waitFor(() => expect(list().getAllByRole('listitem')).toHaveLength(2));
    FakeSocket.last.deliver({ type: 'presence', cause: 'connect', user: entry('u9', 'available') });
    await waitFor(() => expect(api.calls('GET /api/presence/colleagues')).toHaveLength(2));
  });

  it('says when the list could not be loaded', async () => {
    await openDialer({ 'GET /api/presence/colleagues': () => problem(500, 'internal_error') });
    FakeSocket.last.welcome();
    expect(await list().findByText('Colleagues could not be loaded.')).toBeTruthy();
  });
});

describe('the do-not-disturb switch', () => {
  it('is a switch on the dialer, saved for all devices, and follows changes made elsewhere', async () => {
    let saved = { on: false, changedAt: null as number | null };
    const api = await openDialer({
      'PUT /api/me/dnd': (req) => {
        saved = { on: (req.body as { on: boolean }).on, changedAt: 100 };
        return json(200, saved);
      },
    });
    FakeSocket.last.welcome([entry('u1', 'available')]);
    const toggle = await screen.findByRole('switch', { name: 'Do not disturb' });
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'));

    fireEvent.click(toggle);
    // Shown at once, before the server answers.
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    await waitFor(() => expect(api.calls('PUT /api/me/dnd')).toHaveLength(1));
    expect(api.calls('PUT /api/me/dnd')[0]?.body).toEqual({ on: true });
    await waitFor(() => expect(toggle.getAttribute('aria-busy')).toBe('false'));
    expect(toggle.getAttribute('aria-checked')).toBe('true');

    // The same change echoed by the hub, then another device turning it off later.
    FakeSocket.last.deliver({ type: 'presence', cause: 'dnd', user: entry('u1', 'dnd', true, 100) });
    FakeSocket.last.deliver({ type: 'presence', cause: 'dnd', user: entry('u1', 'available', false, 200) });
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'));
  });

  it('reminds on other screens while on, with a one-tap way out', async () => {
    const api = fakeApi({
      'GET /api/me': () => json(200, aMe()),
      'PUT /api/me/dnd': () => json(200, { on: false, changedAt: 300 }),
    });
    history.replaceState(null, '', '/history');
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'History' });
    await waitFor(() => expect(FakeSocket.all.length).toBeGreaterThan(0));
    FakeSocket.last.welcome([entry('u1', 'dnd', true, 50)]);
    const banner = await screen.findByText('Do not disturb is on: calls go to voicemail.');
    fireEvent.click(within(banner.parentElement as HTMLElement).getByRole('button', { name: 'Turn off' }));
    await waitFor(() => expect(screen.queryByText('Do not disturb is on: calls go to voicemail.')).toBeNull());
    expect(api.calls('PUT /api/me/dnd')[0]?.body).toEqual({ on: false });
  });

  it('says so when the change could not be saved, and shows the switch as it was', async () => {
    await openDialer({ 'PUT /api/me/dnd': () => problem(503, 'unavailable', { detail: 'Try again in a moment.' }) });
    FakeSocket.last.welcome([entry('u1', 'available')]);
    const toggle = await screen.findByRole('switch', { name: 'Do not disturb' });
    fireEvent.click(toggle);
    expect(await screen.findByText('Try again in a moment.')).toBeTruthy();
    expect(toggle.getAttribute('aria-checked')).toBe('false');
  });
});

describe('the live session', () => {
  it('runs only while signed in: signing out closes the socket', async () => {
    await openDialer();
    const socket = FakeSocket.last;
    socket.welcome();
    me.value = null;
    await waitFor(() => expect(socket.closedByClient).toBe(1000));
    expect(FakeSocket.all).toHaveLength(1);
  });
});
