import 'fake-indexeddb/auto';
import { render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Features } from '../../shared/admin-limits';
import { myFeatures } from '../../web/src/admin/my-features';
import { App } from '../../web/src/app/App';
import { me } from '../../web/src/auth/session';
import { registration } from '../../web/src/calling/line';
import { stopFollowingVoicemail } from '../../web/src/voicemail/unheard';
// The app imports contacts sync once the line settles; loaded here first, so that import is not still running when the file ends.
import '../../web/src/storage/contacts-sync';
import { aMe, fakeApi, json } from './support/fake-api';
import { fakeLine } from './support/fake-line';
import { FakeSocket } from './support/fake-socket';

const ALL_ON: Features = { calling: true, sms: true, voicemail: true, recording: false };
let seat: Features;
let licenceEvents = 0;
let start: ReturnType<typeof fakeLine>['start'];
let stop: ReturnType<typeof fakeLine>['stop'];

beforeEach(() => {
  seat = { ...ALL_ON };
  FakeSocket.reset();
  vi.stubGlobal('WebSocket', FakeSocket);
  ({ start, stop } = fakeLine());
  fakeApi({
    'GET /api/me': () => json(200, aMe()),
    'GET /api/me/features': () => json(200, seat),
    'GET /api/presence/colleagues': () => json(200, { colleagues: [] }),
    'GET /api/voicemail': () => json(200, { messages: [], unheard: 0 }),
    'GET /api/calls/unseen-missed': () => json(200, { count: 0 }),
  });
  // Remembered on this device, as after any earlier visit (the sign-in screen is then not fetched).
  me.value = aMe();
});
afterEach(() => {
  stopFollowingVoicemail();
  vi.restoreAllMocks();
  myFeatures.value = undefined;
  registration.value = 'idle';
});

function navLinks(): string[] {
  return within(screen.getByRole('navigation', { name: 'Main' }))
    .getAllByRole('link')
    .map((a) => a.getAttribute('href') ?? '');
}

/** The admin changed this user's seat: the Worker tells their devices over the live channel. */
function licenceChanged(features: Partial<Features>): void {
  seat = { ...seat, ...features };
  licenceEvents++;
  FakeSocket.last.deliver({
    type: 'event',
    seq: licenceEvents,
    event: { kind: 'licence_changed', id: `lic_${licenceEvents}`, at: Date.now() },
  });
}

describe("the user's features, live", () => {
  it('hide Voicemail and Messages from the navigation when turned off, and bring them back', async () => {
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Dialer' });
    await waitFor(() => expect(FakeSocket.all.length).toBeGreaterThan(0));
    FakeSocket.last.welcome();
    await waitFor(() => expect(myFeatures.value).toEqual(ALL_ON));
    expect(navLinks()).toEqual(expect.arrayContaining(['/', '/voicemail', '/messages']));

    licenceChanged({ voicemail: false, sms: false });
    await waitFor(() => expect(navLinks()).not.toContain('/voicemail'));
    expect(navLinks()).not.toContain('/messages');
    expect(navLinks()).toEqual(expect.arrayContaining(['/', '/contacts', '/history']));

    licenceChanged({ voicemail: true });
    await waitFor(() => expect(navLinks()).toContain('/voicemail'));
    expect(navLinks()).not.toContain('/messages');
  });

  it('stop the phone line when calling goes off, say why, and start it again when it comes back', async () => {
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Dialer' });
    await waitFor(() => expect(start).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(FakeSocket.all.length).toBeGreaterThan(0));
    FakeSocket.last.welcome();
    await waitFor(() => expect(myFeatures.value).toEqual(ALL_ON));
    expect(stop).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Call' })).toBeTruthy();

    licenceChanged({ calling: false });
    expect(await screen.findByText(/Calling is not included in your licence/)).toBeTruthy();
    // Stopping the line is what unregisters this device from the edge.
    expect(stop).toHaveBeenCalledTimes(1);
    expect(registration.value).toBe('idle');
    // The screen stays (do-not-disturb and colleagues live there); its keypad goes.
    expect(navLinks()).toContain('/');
    expect(screen.queryByRole('button', { name: 'Call' })).toBeNull();

    licenceChanged({ calling: true });
    await waitFor(() => expect(start).toHaveBeenCalledTimes(2));
    expect(await screen.findByRole('button', { name: 'Call' })).toBeTruthy();
    expect(screen.queryByText(/Calling is not included in your licence/)).toBeNull();
    expect(navLinks()).toContain('/');
    expect(registration.value).toBe('ready');
  });
});
