import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { LIVE_PROTOCOL_VERSION, parseServerMessage, type ServerMessage } from '../../../shared/live-protocol';
import { HUB_IDENTITY_HEADERS } from '../../../worker/live/hub';
import { type Client, ORIGIN } from './api';

/** A WebSocket in a test, with an inbox to wait on. */
export interface TestSocket {
  ws: WebSocket;
  /** Resolves with the close code once the socket closes. */
  closed: Promise<number>;
  /** The next message (optionally the next one matching), failing after `timeoutMs`. */
  next<T extends ServerMessage = ServerMessage>(
    match?: ((m: ServerMessage) => m is T) | ((m: ServerMessage) => boolean),
    timeoutMs?: number,
  ): Promise<T>;
  /** Every message received and not yet taken by `next`. */
  inbox: ServerMessage[];
  send(value: unknown): void;
  /** Says hello and returns the welcome. */
  hello(lastSeq?: number): Promise<Extract<ServerMessage, { type: 'welcome' }>>;
  /** Proves nothing else is queued: a timed ping's pong comes back next. */
  expectQuiet(): Promise<void>;
  close(): void;
}

function wrap(ws: WebSocket): TestSocket {
  ws.accept();
  const inbox: ServerMessage[] = [];
  let wake: (() => void) | undefined;
  ws.addEventListener('message', (event) => {
    const message = parseServerMessage(String(event.data));
    if (message) inbox.push(message);
    wake?.();
  });
  const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
  let pings = 0;
  const socket: TestSocket = {
    ws,
    closed,
    inbox,
    async next<T extends ServerMessage>(match: (m: ServerMessage) => boolean = () => true, timeoutMs = 3000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = inbox.findIndex(match);
        if (index >= 0) return inbox.splice(index, 1)[0] as T;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; inbox: ${JSON.stringify(inbox)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, left);
        });
      }
    },
    send: (value) => ws.send(typeof value === 'string' ? value : JSON.stringify(value)),
    async hello(lastSeq) {
      socket.send({ type: 'hello', protocol: LIVE_PROTOCOL_VERSION, appVersion: 'test', lastSeq });
      return socket.next((m): m is Extract<ServerMessage, { type: 'welcome' }> => m.type === 'welcome');
    },
    async expectQuiet() {
      const t = ++pings;
      socket.send({ type: 'ping', t });
      await socket.next((m) => m.type === 'pong' && m.t === t);
      if (inbox.length > 0) throw new Error(`unexpected messages: ${JSON.stringify(inbox)}`);
    },
    close: () => ws.close(1000, 'done'),
  };
  return socket;
}

/** Opens `/api/live` through the Worker as a signed-in client's browser would. */
export async function openLive(client: Client, headers: Record<string, string> = {}): Promise<TestSocket> {
  const res = await liveUpgrade(client, headers);
  if (res.status !== 101 || !res.webSocket) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
  return wrap(res.webSocket);
}

/** The raw upgrade response, for refusals. */
export function liveUpgrade(client: Client | undefined, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${ORIGIN}/api/live`, {
    headers: {
      Upgrade: 'websocket',
      Origin: ORIGIN,
      ...(client?.cookie ? { Cookie: client.cookie } : {}),
      ...headers,
    },
  });
}

/** Opens a socket straight to a business's hub with a made-up identity (the Worker's checks skipped). */
export async function openHub(
  business: string,
  user: string,
  device = `dev_${Math.random().toString(36).slice(2, 8)}`,
): Promise<TestSocket> {
  const res = await env.LIVE_HUB.getByName(business).fetch('https://hub/connect', {
    headers: { Upgrade: 'websocket', [HUB_IDENTITY_HEADERS.user]: user, [HUB_IDENTITY_HEADERS.device]: device },
  });
  if (res.status !== 101 || !res.webSocket) throw new Error(`hub refused: ${res.status}`);
  return wrap(res.webSocket);
}

/** Type guard for a presence message about one user. */
export function presenceOf(userId: string) {
  return (m: ServerMessage): m is Extract<ServerMessage, { type: 'presence' }> => m.type === 'presence' && m.user.userId === userId;
}
