import { signal } from '@preact/signals';
import { Core, TransportState } from 'sip.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterLineSettles } from '../../web/src/app/after-line';
import { dropEdgeSocket, preopenEdgeSocket, rememberEdgeUrl, takeEdgeSocket } from '../../web/src/calling/edge-socket';
import { registration } from '../../web/src/calling/line';
import { EdgeTransport } from '../../web/src/calling/sip-lib';
import { FakeSocket } from './support/fake-socket';

const EDGE = 'ws://127.0.0.1:5066';

/** A FakeSocket that also keeps the subprotocol asked for and the binary type set, and says when the client closed it. */
class SipSocket extends FakeSocket {
  binaryType = 'blob';
  constructor(
    url: string,
    readonly protocol?: string | string[],
  ) {
    super(url);
  }

  override close(code = 1000): void {
    const wasOpen = this.readyState < 2;
    super.close(code);
    if (wasOpen) queueMicrotask(() => this.dispatchEvent(new CloseEvent('close', { code })));
  }
}

const logger = () => new Core.LoggerFactory().getLogger('sip.Transport');

/** Past the next frame and the task after it (where `afterLineSettles` runs its work). */
const painted = () => new Promise((resolve) => setTimeout(resolve, 50));

beforeEach(() => {
  localStorage.clear();
  FakeSocket.reset();
  vi.stubGlobal('WebSocket', SipSocket);
});

afterEach(() => {
  dropEdgeSocket();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  registration.value = 'idle';
});

describe('the pre-opened socket to the media edge', () => {
  it('is not opened before any credentials named the edge', () => {
    preopenEdgeSocket();
    expect(FakeSocket.all).toHaveLength(0);
    expect(takeEdgeSocket(EDGE)).toBeUndefined();
  });

  it('opens to the remembered edge as a SIP socket, and is handed over once', () => {
    rememberEdgeUrl(EDGE);
    preopenEdgeSocket();
    preopenEdgeSocket(); // idempotent
    expect(FakeSocket.all).toHaveLength(1);
    const socket = FakeSocket.last as SipSocket;
    expect(socket.url).toBe(EDGE);
    expect(socket.protocol).toBe('sip');
    expect(socket.binaryType).toBe('arraybuffer');
    expect(takeEdgeSocket(EDGE)).toBe(socket);
    expect(takeEdgeSocket(EDGE)).toBeUndefined();
  });

  it('is closed, not handed over, when the new credentials name another edge', () => {
    rememberEdgeUrl(EDGE);
    preopenEdgeSocket();
    const socket = FakeSocket.last;
    expect(takeEdgeSocket('ws://edge.example:443')).toBeUndefined();
    expect(socket.closedByClient).toBe(1000);
  });

  it('is not handed over once it closed', () => {
    rememberEdgeUrl(EDGE);
    preopenEdgeSocket();
    FakeSocket.last.serverClose();
    expect(takeEdgeSocket(EDGE)).toBeUndefined();
  });

  it('is closed when nobody takes it (sign-out, calling refused), and after a while anyway', () => {
    rememberEdgeUrl(EDGE);
    preopenEdgeSocket();
    const dropped = FakeSocket.last;
    dropEdgeSocket();
    expect(dropped.closedByClient).toBe(1000);

    vi.useFakeTimers();
    preopenEdgeSocket();
    const unclaimed = FakeSocket.last;
    vi.advanceTimersByTime(15_000);
    expect(unclaimed.closedByClient).toBe(1000);
    expect(takeEdgeSocket(EDGE)).toBeUndefined();
  });
});

describe("the SIP transport's first connection", () => {
  it('adopts an already open pre-opened socket: connected at once, SIP goes through it', async () => {
    rememberEdgeUrl(EDGE);
    preopenEdgeSocket();
    const socket = FakeSocket.last;
    socket.open();
    const transport = new EdgeTransport(logger(), { server: EDGE, connectionTimeout: 5 });
    const connected = vi.fn();
    transport.onConnect = connected;
    await transport.connect();
    expect(transport.state).toBe(TransportState.Connected);
    expect(transport.ws).toBe(socket);
    expect(connected).toHaveBeenCalledOnce();
    expect(FakeSocket.all).toHaveLength(1);
    await transport.send('OPTIONS sip:x SIP/2.0\r\n\r\n');
    expect(socket.sent).toEqual(['OPTIONS sip:x SIP/2.0\r\n\r\n']);
    const received = vi.fn();
    transport.onMessage = received;
    socket.dispatchEvent(new MessageEvent('message', { data: 'SIP/2.0 200 OK\r\n\r\n' }));
    expect(received).toHaveBeenCalledWith('SIP/2.0 200 OK\r\n\r\n');
    await transport.dispose();
  });

  it('adopts one still opening, and reports its loss like its own', async () => {
    rememberEdgeUrl(EDGE);
    preopenEdgeSocket();
    const socket = FakeSocket.last;
    const transport = new EdgeTransport(logger(), { server: EDGE, connectionTimeout: 5 });
    const connecting = transport.connect();
    expect(transport.state).toBe(TransportState.Connecting);
    socket.open();
    await connecting;
    expect(transport.state).toBe(TransportState.Connected);
    const lost = vi.fn();
    transport.onDisconnect = lost;
    socket.serverClose(1006);
    expect(transport.state).toBe(TransportState.Disconnected);
    expect(lost).toHaveBeenCalledOnce();
    // A reconnect opens a new socket of its own (the pre-opened one was used once).
    const again = transport.connect();
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.last.open();
    await again;
    expect(transport.ws).toBe(FakeSocket.last);
    await transport.dispose();
  });

  it('opens its own socket when none was pre-opened, or it failed to open', async () => {
    rememberEdgeUrl(EDGE);
    preopenEdgeSocket();
    FakeSocket.last.serverClose(1006);
    const transport = new EdgeTransport(logger(), { server: EDGE, connectionTimeout: 5 });
    const connecting = transport.connect();
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.last.open();
    await connecting;
    expect(transport.ws).toBe(FakeSocket.last);
    await transport.dispose();
  });
});

describe('what waits for the line', () => {
  it('runs once the line is registered, not before', async () => {
    registration.value = 'fetching_credentials';
    const then = vi.fn();
    afterLineSettles(then, 2000);
    await painted();
    registration.value = 'registering';
    await painted();
    expect(then).not.toHaveBeenCalled();
    registration.value = 'ready';
    // Not in the same turn: the frame showing "ready" is painted first.
    await Promise.resolve();
    expect(then).not.toHaveBeenCalled();
    await painted();
    expect(then).toHaveBeenCalledOnce();
    registration.value = 'offline';
    await painted();
    expect(then).toHaveBeenCalledOnce();
  });

  it('runs when the line fails, when told not to wait (signed out), or after the cap', async () => {
    registration.value = 'fetching_credentials';
    const onError = vi.fn();
    afterLineSettles(onError, 2000);
    registration.value = 'error';
    await painted();
    expect(onError).toHaveBeenCalledOnce();

    registration.value = 'idle';
    const signedOut = signal<boolean>(false);
    const onSignedOut = vi.fn();
    afterLineSettles(onSignedOut, 2000, { orWhen: () => signedOut.value });
    await painted();
    expect(onSignedOut).not.toHaveBeenCalled();
    signedOut.value = true;
    await painted();
    expect(onSignedOut).toHaveBeenCalledOnce();

    vi.useFakeTimers();
    registration.value = 'connecting';
    const capped = vi.fn();
    const cancelled = vi.fn();
    afterLineSettles(capped, 2000);
    afterLineSettles(cancelled, 2000)();
    vi.advanceTimersByTime(1999);
    expect(capped).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(capped).toHaveBeenCalledOnce();
    expect(cancelled).not.toHaveBeenCalled();
  });
});
