import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LIVE_CLOSE, LIVE_PING_FRAME, LIVE_PROTOCOL_VERSION, type ServerMessage } from '../../shared/live-protocol';
import { reconnectDelay } from '../../web/src/live/backoff';
import { LiveClient, type LiveStatus } from '../../web/src/live/client';
import { RecentIds } from '../../web/src/live/recent-ids';
import { applyServerMessage, lastLiveEvent, liveCursor, onLiveEvent, presence, presenceFor, resetLive } from '../../web/src/live/store';
import { FakeSocket } from './support/fake-socket';

let received: ServerMessage[];
let statuses: LiveStatus[];
let failures: number[];

function client(options: { lastSeq?: number } = {}) {
  const live = new LiveClient({
    url: 'ws://app.test/api/live',
    appVersion: '1.2.3',
    onMessage: (m) => received.push(m),
    onStatus: (s) => statuses.push(s),
    onFailure: (n) => failures.push(n),
    lastSeq: () => options.lastSeq,
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    // No jitter: the delay is then exactly half the exponential one.
    random: () => 0,
  });
  live.start();
  return live;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
  received = [];
  statuses = [];
  failures = [];
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('reconnect delays', () => {
  it('double from half a second to a 30 s ceiling, with up to half of each random', () => {
    const fixed = [0, 1, 2, 3, 10].map((n) => reconnectDelay(n, { hidden: false, random: () => 0 }));
    expect(fixed).toEqual([250, 500, 1000, 2000, 15_000]);
    expect(reconnectDelay(3, { hidden: false, random: () => 1 })).toBe(4000);
    expect(reconnectDelay(50, { hidden: false, random: () => 1 })).toBe(30_000);
  });

  it('are slower in a hidden tab', () => {
    expect(reconnectDelay(0, { hidden: true, random: () => 0 })).toBe(2500);
    expect(reconnectDelay(50, { hidden: true, random: () => 1 })).toBe(300_000);
  });
});

describe('the live client', () => {
  it('says hello with the protocol and the event cursor, and is open once welcomed', () => {
    const live = client({ lastSeq: 7 });
    const socket = FakeSocket.last;
    expect(socket.url).toBe('ws://app.test/api/live');
    expect(live.status).toBe('connecting');
    socket.open();
    expect(socket.messages).toEqual([{ type: 'hello', protocol: LIVE_PROTOCOL_VERSION, appVersion: '1.2.3', lastSeq: 7 }]);
    socket.welcome();
    expect(live.status).toBe('open');
    expect(received.map((m) => m.type)).toEqual(['welcome']);
    live.stop();
  });

  it('pings every 25 s and treats a socket that does not answer within 10 s as dead', () => {
    const live = client();
    const first = FakeSocket.last;
    first.welcome();
    vi.advanceTimersByTime(25_000);
    expect(first.sent.at(-1)).toBe(LIVE_PING_FRAME);
    first.deliver({ type: 'pong' });
    vi.advanceTimersByTime(25_000);
    expect(first.sent.filter((s) => s === LIVE_PING_FRAME)).toHaveLength(2);
    vi.advanceTimersByTime(10_000);
    // No pong: given up, closed by us, and a new one opened after the first backoff step.
    expect(first.closedByClient).toBe(1000);
    expect(live.status).toBe('waiting');
    vi.advanceTimersByTime(249);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);
    live.stop();
  });

  it('backs off exponentially while the server stays away, and starts over after a welcome', () => {
    const live = client();
    const opened: number[] = [];
    for (let i = 0; i < 5; i++) {
      FakeSocket.last.serverClose(1006);
      const before = FakeSocket.all.length;
      let waited = 0;
      while (FakeSocket.all.length === before) {
        vi.advanceTimersByTime(10);
        waited += 10;
      }
      opened.push(waited);
    }
    expect(opened).toEqual([250, 500, 1000, 2000, 4000]);
    expect(failures).toEqual([1, 2, 3, 4, 5]);
    FakeSocket.last.welcome();
    FakeSocket.last.serverClose(1006);
    vi.advanceTimersByTime(250);
    expect(FakeSocket.all).toHaveLength(7);
    live.stop();
  });

  it('waits longer in a hidden tab, and reconnects at once when the tab comes back', () => {
    const hidden = vi.spyOn(document, 'hidden', 'get').mockReturnValue(true);
    const live = client();
    FakeSocket.last.serverClose(1006);
    vi.advanceTimersByTime(2000);
    expect(FakeSocket.all).toHaveLength(1);
    hidden.mockReturnValue(false);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(FakeSocket.all).toHaveLength(2);
    live.stop();
  });

  it('gives up a handshake that never completes', () => {
    const live = client();
    FakeSocket.last.open();
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.all[0]?.closedByClient).toBe(1000);
    expect(live.status).toBe('waiting');
    live.stop();
  });

  it('ignores anything an abandoned socket still delivers', () => {
    const live = client();
    const old = FakeSocket.last;
    old.welcome();
    vi.advanceTimersByTime(35_000); // ping unanswered: abandoned
    vi.advanceTimersByTime(250);
    const fresh = FakeSocket.last;
    expect(fresh).not.toBe(old);
    received = [];
    old.deliver({ type: 'presence', cause: 'dnd', user: { userId: 'ghost', state: 'dnd', dnd: true, dndChangedAt: 1 } });
    old.serverClose(1000);
    expect(received).toEqual([]);
    expect(live.status).toBe('connecting');
    fresh.welcome();
    expect(received.map((m) => m.type)).toEqual(['welcome']);
    live.stop();
  });

  it('goes quiet while the browser is offline and reconnects as soon as it is back', () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
    const live = client();
    FakeSocket.last.welcome();
    onLine.mockReturnValue(false);
    window.dispatchEvent(new Event('offline'));
    expect(FakeSocket.all[0]?.closedByClient).toBe(1000);
    expect(live.status).toBe('offline');
    vi.advanceTimersByTime(30_000);
    expect(FakeSocket.all).toHaveLength(1);
    onLine.mockReturnValue(true);
    window.dispatchEvent(new Event('online'));
    expect(FakeSocket.all).toHaveLength(2);
    expect(live.status).toBe('connecting');
    live.stop();
  });

  it('stops for good when told to reload or that the session ended', () => {
    const old = client();
    FakeSocket.last.welcome();
    FakeSocket.last.deliver({ type: 'error', reason: 'incompatible_protocol', message: 'reload', reload: true });
    FakeSocket.last.serverClose(LIVE_CLOSE.incompatible);
    expect(old.status).toBe('reload');
    const ended = client();
    FakeSocket.last.welcome();
    FakeSocket.last.serverClose(LIVE_CLOSE.sessionEnded);
    expect(ended.status).toBe('signed_out');
    vi.advanceTimersByTime(600_000);
    expect(FakeSocket.all).toHaveLength(2);
    old.stop();
    ended.stop();
  });

  it('is told to reload also when the refusal is unreadable', () => {
    // A newer server's error this app cannot read: reloading is then the likely cure.
    const unread = client();
    FakeSocket.last.open();
    FakeSocket.last.serverClose(LIVE_CLOSE.incompatible);
    expect(unread.status).toBe('reload');
    vi.advanceTimersByTime(3_600_000);
    expect(FakeSocket.all).toHaveLength(1);
    unread.stop();
  });

  it('newer than the server: not told to reload (that loops), tries again later, slower each time', () => {
    const live = client();
    const refuse = () => {
      FakeSocket.last.open();
      FakeSocket.last.deliver({ type: 'error', reason: 'incompatible_protocol', message: 'new', reload: false });
      FakeSocket.last.serverClose(LIVE_CLOSE.incompatible);
    };
    refuse();
    expect(live.status).toBe('waiting');
    expect(statuses).not.toContain('reload');
    // Coming back to the tab or to the network does not jump the wait: the server would refuse again.
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event('online'));
    window.dispatchEvent(new Event('offline'));
    expect(FakeSocket.all).toHaveLength(1);
    // No jitter: 15 s, then 30 s.
    vi.advanceTimersByTime(14_999);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);
    refuse();
    vi.advanceTimersByTime(29_999);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(3);
    // The server caught up: welcomed, and a later refusal starts from 15 s again.
    FakeSocket.last.welcome();
    expect(live.status).toBe('open');
    FakeSocket.last.deliver({ type: 'error', reason: 'incompatible_protocol', message: 'new', reload: false });
    FakeSocket.last.serverClose(LIVE_CLOSE.incompatible);
    vi.advanceTimersByTime(15_000);
    expect(FakeSocket.all).toHaveLength(4);
    expect(statuses).not.toContain('reload');
    // Not a failure: the session is not re-checked for it.
    expect(failures).toEqual([]);
    live.stop();
  });

  it('closes the socket and never reconnects once stopped', () => {
    const live = client();
    FakeSocket.last.welcome();
    live.stop();
    expect(FakeSocket.last.closedByClient).toBe(1000);
    expect(statuses.at(-1)).toBe('stopped');
    window.dispatchEvent(new Event('online'));
    vi.advanceTimersByTime(600_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});

describe('the live store', () => {
  afterEach(() => resetLive());

  it('replaces presence with each snapshot and applies changes', () => {
    applyServerMessage({
      type: 'welcome',
      protocol: 2,
      serverTime: 0,
      you: { userId: 'u1', deviceId: 'd' },
      presence: [{ userId: 'gone', state: 'available', dnd: false, dndChangedAt: null }],
      lastSeq: 4,
    });
    applyServerMessage({ type: 'presence', cause: 'dnd', user: { userId: 'u2', state: 'dnd', dnd: true, dndChangedAt: 9 } });
    expect(presenceFor('u2').state).toBe('dnd');
    expect(presenceFor('gone').state).toBe('available');
    // A reconnect's snapshot no longer has "gone": it is offline now, not what it was before.
    applyServerMessage({ type: 'welcome', protocol: 2, serverTime: 0, you: { userId: 'u1', deviceId: 'd' }, presence: [], lastSeq: 4 });
    expect(presenceFor('gone').state).toBe('offline');
    expect(presence.value.size).toBe(0);
    expect(liveCursor()).toBe(4);
  });

  it('hands each event on once, however often it arrives, and moves the cursor', () => {
    const seen: string[] = [];
    const off = onLiveEvent((e) => seen.push(e.id), 'missed_call');
    const missed = { kind: 'missed_call', id: 'missed_call:c1', at: 1, callId: 'c1', from: null } as const;
    applyServerMessage({ type: 'event', seq: 5, event: missed });
    applyServerMessage({ type: 'event', seq: 5, event: missed });
    applyServerMessage({ type: 'event', seq: 6, event: { kind: 'licence_changed', id: 'l1', at: 2 } });
    expect(seen).toEqual(['missed_call:c1']);
    expect(lastLiveEvent.value?.id).toBe('l1');
    expect(liveCursor()).toBe(6);
    off();
  });

  it('remembers a bounded number of event ids', () => {
    const ids = new RecentIds(2);
    expect([ids.add('a'), ids.add('b'), ids.add('a'), ids.add('c'), ids.add('a')]).toEqual([true, true, false, true, true]);
  });
});
