import {
  LIVE_CLOSE,
  LIVE_PING_FRAME,
  LIVE_PING_INTERVAL_MS,
  LIVE_PONG_TIMEOUT_MS,
  LIVE_PROTOCOL_VERSION,
  parseServerMessage,
  type ServerMessage,
} from '../../../shared/live-protocol';
import { reconnectDelay, serverBehindDelay } from './backoff';

/**
 * Where the live channel stands. `reload`: this app is too old for the
 * server; `signed_out`: the server ended the session. Neither reconnects.
 * An app newer than the server (a deploy still rolling out) is `waiting`:
 * it tries again later, slowly, since reloading would not help.
 */
export type LiveStatus = 'stopped' | 'connecting' | 'open' | 'waiting' | 'offline' | 'reload' | 'signed_out';

/** The browser's WebSocket, or a fake in tests. */
export type SocketFactory = (url: string) => WebSocket;

export interface LiveClientOptions {
  url: string;
  appVersion: string;
  /** Every valid server message, from the current socket only. */
  onMessage: (message: ServerMessage) => void;
  onStatus?: (status: LiveStatus) => void;
  /** Called after each failed attempt with the number of failures in a row (a 401 looks like any failure to a WebSocket). */
  onFailure?: (failures: number) => void;
  /** The last event seq seen, so the hub replays what was missed. */
  lastSeq?: () => number | undefined;
  createSocket?: SocketFactory;
  random?: () => number;
}

/** From `new WebSocket` to the welcome: a handshake that takes longer is stuck. */
const CONNECT_TIMEOUT_MS = 10_000;
/** While the browser says it is offline, try now and then anyway (it is sometimes wrong). */
const OFFLINE_RETRY_MS = 60_000;

/**
 * The live channel's client: one socket at a time, reconnecting with
 * jittered exponential backoff (slower in a hidden tab), an app-level ping
 * with a timeout (a socket can die without a close), reacting to the
 * browser's online/offline and visibility, and ignoring anything a socket it
 * has given up on still delivers. Every (re)connect says hello and gets a
 * fresh snapshot, so nothing that happened while away is missed.
 */
export class LiveClient {
  status: LiveStatus = 'stopped';
  private socket: WebSocket | undefined;
  /** Failed attempts since the last welcome. */
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setTimeout> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  /** What the current socket's `incompatible_protocol` error said: reload (this app is older) or not (the server is). */
  private refusal: { reload: boolean } | undefined;
  /** Refusals in a row because the server is older than this app. */
  private serverBehind = 0;
  private readonly createSocket: SocketFactory;

  constructor(private readonly options: LiveClientOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
  }

  /** Connects, and keeps connecting until stopped. */
  start(): void {
    if (this.running) return;
    this.running = true;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.connect();
  }

  /** Closes the socket and stops reconnecting (sign-out). */
  stop(): void {
    this.running = false;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisibility);
    clearTimeout(this.retryTimer);
    this.abandon();
    this.setStatus('stopped');
  }

  private connect(): void {
    clearTimeout(this.retryTimer);
    this.abandon();
    if (!this.running) return;
    if (navigator.onLine === false) {
      this.scheduleReconnect();
      return;
    }
    let ws: WebSocket;
    try {
      ws = this.createSocket(this.options.url);
    } catch {
      this.failed();
      return;
    }
    this.socket = ws;
    this.refusal = undefined;
    this.setStatus('connecting');
    this.connectTimer = setTimeout(() => this.giveUp(ws), CONNECT_TIMEOUT_MS);
    // Every handler first checks that this is still the socket we use: an
    // abandoned one may still deliver a message or a close, and must not act.
    ws.addEventListener('open', () => {
      if (ws !== this.socket) return;
      ws.send(
        JSON.stringify({
          type: 'hello',
          protocol: LIVE_PROTOCOL_VERSION,
          appVersion: this.options.appVersion,
          lastSeq: this.options.lastSeq?.(),
        }),
      );
    });
    ws.addEventListener('message', (event) => {
      if (ws !== this.socket) return;
      this.receive(String(event.data));
    });
    ws.addEventListener('close', (event) => {
      if (ws !== this.socket) return;
      this.socket = undefined;
      this.clearSocketTimers();
      this.closed(event.code);
    });
    // An error is always followed by a close; that is where we act.
  }

  private receive(raw: string): void {
    clearTimeout(this.pongTimer);
    const message = parseServerMessage(raw);
    if (!message) return;
    if (message.type === 'welcome') {
      clearTimeout(this.connectTimer);
      this.failures = 0;
      this.serverBehind = 0;
      this.setStatus('open');
      this.schedulePing();
    }
    if (message.type === 'error' && message.reason === 'incompatible_protocol') this.refusal = { reload: message.reload };
    this.options.onMessage(message);
  }

  private closed(code: number): void {
    if (code === LIVE_CLOSE.incompatible) this.incompatible();
    else if (code === LIVE_CLOSE.sessionEnded) this.setStatus('signed_out');
    else this.failed();
  }

  /**
   * The server refused this app's protocol. Older than the server: reloading
   * fetches the new app, so say so and stop. Newer (the server says
   * `reload: false`; a deploy is still reaching every server): reloading
   * would load this same app and be refused again, in a loop, so keep what
   * is shown and try again later, backing off to a quarter of an hour.
   * Without a readable error, assume older: a newer app still reads an older
   * server's error, an older app may not read a newer one's.
   */
  private incompatible(): void {
    if (this.refusal?.reload !== false) {
      this.setStatus('reload');
      return;
    }
    clearTimeout(this.retryTimer);
    this.setStatus('waiting');
    this.retryTimer = setTimeout(() => this.connect(), serverBehindDelay(this.serverBehind++, this.options.random));
  }

  /** Drops a socket that stopped answering (no welcome, no pong) and tries again. */
  private giveUp(ws: WebSocket): void {
    if (ws !== this.socket) return;
    this.abandon();
    this.failed();
  }

  private failed(): void {
    if (this.status !== 'open') this.failures++;
    else this.failures = 1;
    this.options.onFailure?.(this.failures);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    const offline = navigator.onLine === false;
    const delay = offline
      ? OFFLINE_RETRY_MS
      : reconnectDelay(Math.max(0, this.failures - 1), { hidden: document.hidden, random: this.options.random });
    this.setStatus(offline ? 'offline' : 'waiting');
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private schedulePing(): void {
    clearTimeout(this.pingTimer);
    this.pingTimer = setTimeout(() => this.ping(), LIVE_PING_INTERVAL_MS);
  }

  /** Sends the keep-alive and expects something back in time; otherwise the socket is dead. */
  private ping(): void {
    const ws = this.socket;
    if (!ws || this.status !== 'open') return;
    try {
      ws.send(LIVE_PING_FRAME);
    } catch {
      this.giveUp(ws);
      return;
    }
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(() => this.giveUp(ws), LIVE_PONG_TIMEOUT_MS);
    this.schedulePing();
  }

  private abandon(): void {
    const ws = this.socket;
    this.socket = undefined;
    this.clearSocketTimers();
    if (!ws) return;
    try {
      ws.close(1000, 'client closed');
    } catch {
      // never opened, or already closing
    }
  }

  private clearSocketTimers(): void {
    clearTimeout(this.connectTimer);
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  private setStatus(status: LiveStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus?.(status);
  }

  private readonly onOnline = (): void => {
    // The network is back: retry at once, from the shortest delay. Not while the server is behind
    // this app: it would refuse again; its own slow retry stands.
    if (this.status === 'open' || this.status === 'connecting' || this.serverBehind > 0) return;
    this.failures = 0;
    this.connect();
  };

  private readonly onOffline = (): void => {
    // The socket is most likely dead; waiting for its close could take minutes.
    if (!this.socket && (this.status !== 'waiting' || this.serverBehind > 0)) return;
    this.abandon();
    this.scheduleReconnect();
  };

  private readonly onVisibility = (): void => {
    if (document.hidden) return;
    // Back in front: a sleeping phone's socket may be dead, so check now; a pending retry happens now.
    if (this.status === 'open') this.ping();
    else if ((this.status === 'waiting' && this.serverBehind === 0) || this.status === 'offline') this.connect();
  };
}
