import 'fake-indexeddb/auto';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { LocationProvider } from 'preact-iso';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Features } from '../../shared/admin-limits';
import type { VoicemailMessage } from '../../shared/voicemail-api';
import { myFeatures } from '../../web/src/admin/my-features';
import { Layout } from '../../web/src/app/Layout';
import { me } from '../../web/src/auth/session';
import { unseenMissed } from '../../web/src/history/missed-badge';
import { applyServerMessage, resetLive } from '../../web/src/live/store';
import { deleteContactsDb } from '../../web/src/storage/contacts-db';
import { claimStore, dropMirror, storeServerContacts } from '../../web/src/storage/contacts-store';
import { appBadgeCount, followAlerts } from '../../web/src/voicemail/alerts';
import { followVoicemail, stopFollowingVoicemail, unheardVoicemail } from '../../web/src/voicemail/unheard';
import { VoicemailBadge } from '../../web/src/voicemail/VoicemailBadge';
import { VoicemailScreen } from '../../web/src/voicemail/VoicemailScreen';
import { readCachedInbox, saveInbox, wipeVoicemail } from '../../web/src/voicemail/voicemail-db';
import { callerName, formatNumber, messageLength, messageLengthWords } from '../../web/src/voicemail/voicemail-format';
import { aMe, fakeApi, json, noContent, problem } from './support/fake-api';

const NOW = Date.now();
const ALL_ON: Features = { calling: true, sms: true, voicemail: true, recording: false };

function aMessage(overrides: Partial<VoicemailMessage>): VoicemailMessage {
  const id = overrides.id ?? `vm_${Math.random().toString(36).slice(2)}`;
  return {
    id,
    fromNumber: null,
    fromUser: null,
    contactName: null,
    receivedAt: NOW - 60_000,
    durationMs: 42_000,
    heard: false,
    audioUrl: `/api/voicemail/${id}/audio`,
    ...overrides,
  };
}

/** In the device's contacts only: the name must come from the replica. */
const fromContact = aMessage({ id: 'vm_contact', fromNumber: '+447700900123', receivedAt: NOW - 60_000 });
const fromColleague = aMessage({
  id: 'vm_colleague',
  fromUser: { userId: 'usr_grace', name: 'Grace Hopper' },
  heard: true,
  durationMs: 65_000,
  receivedAt: NOW - 5 * 60_000,
});
const fromStranger = aMessage({ id: 'vm_stranger', fromNumber: '+33123456789', receivedAt: NOW - 10 * 60_000 });
const inbox = [fromContact, fromColleague, fromStranger];

async function seedContact(): Promise<void> {
  await claimStore('b1:u1');
  await storeServerContacts([
    {
      id: 'c1',
      firstName: 'Charles',
      lastName: 'Babbage',
      company: '',
      numbers: [{ label: 'mobile', value: '07700 900123', e164: '+447700900123' }],
      emails: [],
      source: 'app',
      favourite: false,
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
    },
  ]);
}

/** The server's inbox, kept as the fake server's state. */
function voicemailServer(messages: VoicemailMessage[]) {
  let list = [...messages];
  const api = fakeApi({
    'GET /api/voicemail': () => json(200, { messages: list, unheard: list.filter((m) => !m.heard).length }),
    'PATCH /api/voicemail/:id': (req, { id }) => {
      list = list.map((m) => (m.id === id ? { ...m, ...(req.body as object) } : m));
      return json(
        200,
        list.find((m) => m.id === id),
      );
    },
    'DELETE /api/voicemail/:id': (_req, { id }) => {
      list = list.filter((m) => m.id !== id);
      return noContent();
    },
    'GET /api/voicemail/greeting': () => json(200, { kind: 'default', audioUrl: null, durationMs: null, updatedAt: null }),
  });
  return api;
}

const rowOf = (id: string) => document.querySelector<HTMLElement>(`[data-message-id="${id}"]`) as HTMLElement;

beforeEach(() => {
  me.value = aMe();
  myFeatures.value = ALL_ON;
});
afterEach(async () => {
  stopFollowingVoicemail();
  resetLive();
  myFeatures.value = undefined;
  unheardVoicemail.value = 0;
  unseenMissed.value = 0;
  vi.restoreAllMocks();
  await wipeVoicemail();
  dropMirror();
  await deleteContactsDb();
});

describe('voicemail formatting', () => {
  it('names the caller: the device’s contact, the server’s contact, the colleague, the number formatted', () => {
    expect(callerName(fromContact, 'GB', 'Charles Babbage')).toBe('Charles Babbage');
    expect(callerName({ ...fromContact, contactName: 'Office' }, 'GB')).toBe('Office');
    expect(callerName(fromColleague, 'GB')).toBe('Grace Hopper');
    expect(callerName(fromContact, 'GB')).toBe('07700 900123');
    expect(callerName(fromStranger, 'GB')).toBe('+33 1 23 45 67 89');
    expect(callerName(aMessage({}), 'GB')).toBe('Unknown caller');
    expect(formatNumber('not a number', 'GB')).toBe('not a number');
  });

  it('gives lengths for the eye and the ear', () => {
    expect(messageLength(42_000)).toBe('0:42');
    expect(messageLength(300)).toBe('0:01');
    expect(messageLengthWords(65_000)).toBe('1 minute 5 seconds');
    expect(messageLengthWords(60_000)).toBe('1 minute');
  });
});

describe('the inbox', () => {
  it('lists messages newest first with names, times, lengths, new ones marked in words; caches them and sets the badge', async () => {
    await seedContact();
    voicemailServer(inbox);
    render(<VoicemailScreen />);
    const list = await screen.findByRole('list', { name: /Messages/ });
    await waitFor(() => expect(within(list).getByRole('heading', { name: 'Charles Babbage, New' })).toBeTruthy());
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map((r) => r.dataset.messageId)).toEqual(['vm_contact', 'vm_colleague', 'vm_stranger']);
    // Unheard says so in text, not by colour alone; heard ones do not.
    expect(within(rows[1] as HTMLElement).queryByText('New')).toBeNull();
    expect(within(list).getByRole('heading', { name: 'Grace Hopper' })).toBeTruthy();
    expect(within(list).getByRole('heading', { name: '+33 1 23 45 67 89, New' })).toBeTruthy();
    expect(rows[0]?.textContent).toContain('0:42');
    expect(rows[0]?.textContent).toContain('42 seconds');
    expect(rows[0]?.textContent).toContain('Today');
    // The number under the contact's name.
    expect(rows[0]?.textContent).toContain('07700 900123');
    expect(within(list).getByRole('link', { name: 'Call Charles Babbage back' }).getAttribute('href')).toBe('/?dial=%2B447700900123');
    expect(within(list).getByRole('link', { name: 'Call Grace Hopper back' }).getAttribute('href')).toBe('/?dial=usr_grace');
    const audio = rows[0]?.querySelector('audio') as HTMLAudioElement;
    expect(audio.getAttribute('preload')).toBe('none');
    expect(audio.getAttribute('src')).toBe('/api/voicemail/vm_contact/audio');
    expect(audio.getAttribute('aria-label')).toBe('Play the message from Charles Babbage');
    expect(screen.getByRole('heading', { level: 2, name: 'Messages (2 new)' })).toBeTruthy();
    expect(unheardVoicemail.value).toBe(2);
    await waitFor(async () => expect((await readCachedInbox('b1:u1')).messages.map((m) => m.id)).toEqual(inbox.map((m) => m.id)));
  });

  it('marks a message heard when playback starts, once', async () => {
    const api = voicemailServer(inbox);
    render(<VoicemailScreen />);
    await screen.findByRole('heading', { name: '+33 1 23 45 67 89, New' });
    const audio = rowOf('vm_stranger').querySelector('audio') as HTMLAudioElement;
    fireEvent.play(audio);
    await waitFor(() => expect(api.calls('PATCH /api/voicemail/vm_stranger')).toHaveLength(1));
    expect(api.calls('PATCH /api/voicemail/vm_stranger')[0]?.body).toEqual({ heard: true });
    expect(screen.getByRole('heading', { name: '+33 1 23 45 67 89' })).toBeTruthy();
    expect(unheardVoicemail.value).toBe(1);
    fireEvent.play(audio);
    // A message already heard is not marked again.
    fireEvent.play(rowOf('vm_colleague').querySelector('audio') as HTMLAudioElement);
    await new Promise((r) => setTimeout(r, 20));
    expect(api.calls('PATCH /api/voicemail/vm_stranger')).toHaveLength(1);
    expect(api.calls('PATCH /api/voicemail/vm_colleague')).toHaveLength(0);
    await waitFor(async () => expect((await readCachedInbox('b1:u1')).messages.find((m) => m.id === 'vm_stranger')?.heard).toBe(true));
  });

  it('shows the message as unheard again when the server did not record it', async () => {
    const api = fakeApi({
      'GET /api/voicemail': () => json(200, { messages: inbox, unheard: 2 }),
      'PATCH /api/voicemail/:id': () => problem(500, 'internal'),
      'GET /api/voicemail/greeting': () => json(200, { kind: 'default', audioUrl: null, durationMs: null, updatedAt: null }),
    });
    render(<VoicemailScreen />);
    await screen.findByRole('heading', { name: '+33 1 23 45 67 89, New' });
    fireEvent.play(rowOf('vm_stranger').querySelector('audio') as HTMLAudioElement);
    await waitFor(() => expect(api.calls('PATCH /api/voicemail/vm_stranger')).toHaveLength(1));
    expect(await screen.findByRole('heading', { name: '+33 1 23 45 67 89, New' })).toBeTruthy();
    expect(unheardVoicemail.value).toBe(2);
  });

  it('deletes after a question, moves the focus to the next message, and says so', async () => {
    const api = voicemailServer(inbox);
    render(<VoicemailScreen />);
    await screen.findByRole('heading', { name: 'Grace Hopper' });
    // Asked, then kept: nothing deleted, the focus back on the button.
    fireEvent.click(screen.getByRole('button', { name: 'Delete the message from Grace Hopper' }));
    const question = screen.getByRole('group', { name: 'Delete the message from Grace Hopper?' });
    await waitFor(() => expect(document.activeElement).toBe(within(question).getByRole('button', { name: 'Delete' })));
    fireEvent.click(within(question).getByRole('button', { name: 'Keep it' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete the message from Grace Hopper' })));
    expect(api.calls('DELETE /api/voicemail/vm_colleague')).toHaveLength(0);
    // Asked, then deleted.
    fireEvent.click(screen.getByRole('button', { name: 'Delete the message from Grace Hopper' }));
    fireEvent.click(within(screen.getByRole('group', { name: /Delete the message/ })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(rowOf('vm_colleague')).toBeNull());
    expect(api.calls('DELETE /api/voicemail/vm_colleague')).toHaveLength(1);
    await waitFor(() => expect(document.activeElement).toBe(rowOf('vm_stranger')));
    expect(screen.getByText('The message from Grace Hopper was deleted.')).toBeTruthy();
    await waitFor(async () => expect((await readCachedInbox('b1:u1')).messages.map((m) => m.id)).toEqual(['vm_contact', 'vm_stranger']));
    // The last one left: the focus goes back to the list's heading.
    fireEvent.click(screen.getByRole('button', { name: 'Delete the message from +33 1 23 45 67 89' }));
    fireEvent.click(within(screen.getByRole('group', { name: /Delete the message/ })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(document.activeElement).toBe(rowOf('vm_contact')));
    fireEvent.click(screen.getByRole('button', { name: 'Delete the message from 07700 900123' }));
    fireEvent.click(within(screen.getByRole('group', { name: /Delete the message/ })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(document.activeElement?.id).toBe('voicemail-messages'));
    expect(screen.getByText('No voicemail. Messages callers leave for you will appear here.')).toBeTruthy();
    expect(unheardVoicemail.value).toBe(0);
  });

  it('keeps a message the server would not delete, and says why', async () => {
    fakeApi({
      'GET /api/voicemail': () => json(200, { messages: inbox, unheard: 2 }),
      'DELETE /api/voicemail/:id': () => problem(503, 'unavailable', { detail: 'Storage is busy. Try again in a moment.' }),
      'GET /api/voicemail/greeting': () => json(200, { kind: 'default', audioUrl: null, durationMs: null, updatedAt: null }),
    });
    render(<VoicemailScreen />);
    await screen.findByRole('heading', { name: 'Grace Hopper' });
    fireEvent.click(screen.getByRole('button', { name: 'Delete the message from Grace Hopper' }));
    fireEvent.click(within(screen.getByRole('group', { name: /Delete the message/ })).getByRole('button', { name: 'Delete' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Storage is busy. Try again in a moment.');
    expect(rowOf('vm_colleague')).not.toBeNull();
  });

  it('offline: shows the messages saved on this device, never another user’s', async () => {
    await saveInbox('b1:u1', [fromColleague]);
    fakeApi({
      'GET /api/voicemail': () => {
        throw new TypeError('Failed to fetch');
      },
      'GET /api/voicemail/greeting': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    render(<VoicemailScreen />);
    expect(await screen.findByText('Offline: showing the messages saved on this device. Playing them needs a connection.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Grace Hopper' })).toBeTruthy();
    expect((await readCachedInbox('b1:someone-else')).messages).toEqual([]);
  });

  it('refreshes on a new_voicemail event and when the connection comes back', async () => {
    const api = voicemailServer([fromColleague]);
    render(<VoicemailScreen />);
    await screen.findByRole('heading', { name: 'Grace Hopper' });
    applyServerMessage({ type: 'event', seq: 1, event: { kind: 'new_voicemail', id: 'new_voicemail:1', at: NOW } });
    await waitFor(() => expect(api.calls('GET /api/voicemail')).toHaveLength(2));
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(api.calls('GET /api/voicemail')).toHaveLength(3));
  });
});

describe('a seat without voicemail', () => {
  it('explains, and asks nothing of the voicemail API; the navigation hides the link', async () => {
    myFeatures.value = { ...ALL_ON, voicemail: false };
    const api = fakeApi({});
    render(
      <LocationProvider>
        <Layout>
          <VoicemailScreen />
        </Layout>
      </LocationProvider>,
    );
    expect(await screen.findByText('Voicemail is not part of your seat, so callers cannot leave you messages.')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav.querySelector('a[href="/voicemail"]')).toBeNull();
    expect(nav.querySelector('a[href="/history"]')).not.toBeNull();
    await new Promise((r) => setTimeout(r, 20));
    expect(api.seen.filter((r) => r.path.startsWith('/api/voicemail'))).toEqual([]);
  });

  it('reads the features first when they are not known yet', async () => {
    myFeatures.value = undefined;
    const api = fakeApi({ 'GET /api/me/features': () => json(200, { ...ALL_ON, voicemail: false }) });
    render(<VoicemailScreen />);
    expect(await screen.findByText(/Voicemail is not part of your seat/)).toBeTruthy();
    expect(api.calls('GET /api/me/features').length).toBeGreaterThan(0);
    expect(api.seen.filter((r) => r.path.startsWith('/api/voicemail'))).toEqual([]);
  });

  it('explains when the server refuses (the seat changed since it was read)', async () => {
    const api = fakeApi({
      'GET /api/voicemail': () =>
        problem(403, 'feature_not_licensed', { detail: 'Voicemail is not part of your licence. Ask your admin.' }),
      'GET /api/voicemail/greeting': () => problem(403, 'feature_not_licensed'),
      'GET /api/me/features': () => json(200, { ...ALL_ON, voicemail: false }),
    });
    render(<VoicemailScreen />);
    expect(await screen.findByText(/Voicemail is not part of your seat/)).toBeTruthy();
    await waitFor(() => expect(api.calls('GET /api/me/features')).toHaveLength(1));
  });
});

describe('the unheard count', () => {
  it('counts on sign-in, recounts on new_voicemail, shows on the nav link, and empties on sign-out (wiping the cache)', async () => {
    let unheard = 2;
    fakeApi({ 'GET /api/voicemail': () => json(200, { messages: [], unheard }) });
    await saveInbox('b1:u1', [fromColleague]);
    render(<VoicemailBadge />);
    followVoicemail();
    await waitFor(() => expect(unheardVoicemail.value).toBe(2));
    expect(document.querySelector('.nav-badge')?.textContent).toContain('2 unheard messages');
    unheard = 3;
    applyServerMessage({ type: 'event', seq: 1, event: { kind: 'new_voicemail', id: 'new_voicemail:2', at: NOW } });
    await waitFor(() => expect(unheardVoicemail.value).toBe(3));
    me.value = null;
    await waitFor(() => expect(unheardVoicemail.value).toBe(0));
    await waitFor(async () => expect((await readCachedInbox('b1:u1')).messages).toEqual([]));
    expect(document.querySelector('.nav-badge')).toBeNull();
  });

  it('is not asked for when the seat has no voicemail', async () => {
    myFeatures.value = undefined;
    const api = fakeApi({ 'GET /api/me/features': () => json(200, { ...ALL_ON, voicemail: false }) });
    followVoicemail();
    await waitFor(() => expect(api.calls('GET /api/me/features')).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(api.calls('GET /api/voicemail')).toHaveLength(0);
    expect(unheardVoicemail.value).toBe(0);
  });
});

describe('notifications and the app icon', () => {
  let visibility: DocumentVisibilityState;
  let showNotification: ReturnType<typeof vi.fn>;
  let container: EventTarget & { getRegistration(): Promise<unknown> };
  let stopAlerts: (() => void) | undefined;

  beforeEach(() => {
    visibility = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    showNotification = vi.fn(async () => {});
    container = Object.assign(new EventTarget(), { getRegistration: async () => ({ showNotification }) });
    Object.defineProperty(navigator, 'serviceWorker', { configurable: true, value: container });
    vi.stubGlobal('Notification', { permission: 'granted' });
  });
  afterEach(() => {
    stopAlerts?.();
    stopAlerts = undefined;
    Reflect.deleteProperty(document, 'visibilityState');
    Reflect.deleteProperty(navigator, 'serviceWorker');
    Reflect.deleteProperty(navigator, 'setAppBadge');
    Reflect.deleteProperty(navigator, 'clearAppBadge');
  });

  const event = (kind: 'new_voicemail' | 'missed_call', id: string, from: string | null, seq: number) =>
    applyServerMessage({ type: 'event', seq, event: { kind, id, at: NOW, from } });

  it('shows one only while the app is hidden, tagged by event, leading to the right screen', async () => {
    stopAlerts = followAlerts();
    event('new_voicemail', 'new_voicemail:visible', '+33123456789', 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(showNotification).not.toHaveBeenCalled();
    visibility = 'hidden';
    event('new_voicemail', 'new_voicemail:hidden', '+33123456789', 2);
    await waitFor(() => expect(showNotification).toHaveBeenCalledTimes(1));
    expect(showNotification).toHaveBeenCalledWith('New voicemail', {
      body: 'From +33 1 23 45 67 89',
      tag: 'new_voicemail:hidden',
      icon: '/icons/icon-192.png',
      data: { url: '/voicemail' },
    });
    event('missed_call', 'missed_call:hidden', null, 3);
    await waitFor(() => expect(showNotification).toHaveBeenCalledTimes(2));
    expect(showNotification).toHaveBeenLastCalledWith(
      'Missed call',
      expect.objectContaining({ body: 'From an unknown caller', tag: 'missed_call:hidden', data: { url: '/history' } }),
    );
    // Other events are not worth a notification.
    applyServerMessage({ type: 'event', seq: 4, event: { kind: 'contacts_changed', id: 'contacts_changed:1', at: NOW } });
    await new Promise((r) => setTimeout(r, 50));
    expect(showNotification).toHaveBeenCalledTimes(2);
  });

  it('shows none without permission', async () => {
    vi.stubGlobal('Notification', { permission: 'default' });
    visibility = 'hidden';
    stopAlerts = followAlerts();
    event('new_voicemail', 'new_voicemail:no-permission', null, 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(showNotification).not.toHaveBeenCalled();
  });

  it('opens the screen the service worker asks for after a click', async () => {
    stopAlerts = followAlerts();
    const seen: string[] = [];
    addEventListener('popstate', () => seen.push(location.pathname));
    container.dispatchEvent(new MessageEvent('message', { data: { type: 'OPEN_URL', url: '/voicemail' } }));
    expect(location.pathname).toBe('/voicemail');
    expect(seen).toEqual(['/voicemail']);
    // Never anywhere but a path in the app.
    container.dispatchEvent(new MessageEvent('message', { data: { type: 'OPEN_URL', url: '//evil.example/' } }));
    expect(location.pathname).toBe('/voicemail');
  });

  it('puts unheard messages plus unseen missed calls on the app icon', async () => {
    expect(appBadgeCount(2, 3)).toBe(5);
    expect(appBadgeCount(0, 0)).toBe(0);
    expect(appBadgeCount(-1, 4)).toBe(4);
    const setAppBadge = vi.fn(async () => {});
    const clearAppBadge = vi.fn(async () => {});
    Object.defineProperty(navigator, 'setAppBadge', { configurable: true, value: setAppBadge });
    Object.defineProperty(navigator, 'clearAppBadge', { configurable: true, value: clearAppBadge });
    unheardVoicemail.value = 2;
    unseenMissed.value = 3;
    stopAlerts = followAlerts();
    expect(setAppBadge).toHaveBeenLastCalledWith(5);
    unheardVoicemail.value = 1;
    expect(setAppBadge).toHaveBeenLastCalledWith(4);
    unheardVoicemail.value = 0;
    unseenMissed.value = 0;
    expect(clearAppBadge).toHaveBeenCalled();
  });
});
