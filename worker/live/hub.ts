import { DurableObject } from 'cloudflare:workers';
import { LIVE_PROTOCOL_VERSION, parseClientMessage, type ServerMessage } from '../../shared/live-protocol';

/** Who a socket belongs to; kept in the socket's attachment so it survives hibernation. */
export interface SocketIdentity {
  userId: string;
  deviceId: string;
  connectedAt: number;
  /** Set once the client's hello carried a protocol we speak. */
  ready: boolean;
}

/** Header names the Worker uses to hand a checked identity to the hub. */
export const HUB_IDENTITY_HEADERS = { user: 'X-Hub-User', device: 'X-Hub-Device' } as const;

/**
 * The live hub: one Durable Object per business (never one global object).
 * Holds the business's WebSockets with the hibernation API, so idle phones
 * cost nothing; every socket's identity lives in its attachment and all maps
 * are rebuilt from `getWebSockets()`.
 */
export class LiveHub extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('Expected a WebSocket upgrade', { status: 426 });
    }
    const userId = request.headers.get(HUB_IDENTITY_HEADERS.user);
    const deviceId = request.headers.get(HUB_IDENTITY_HEADERS.device);
    // Only the Worker reaches this object, after checking the session; a
    // missing identity is a bug in the caller, not a client error.
    if (!userId || !deviceId) return new Response('Missing identity', { status: 400 });

    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [`user:${userId}`]);
    const identity: SocketIdentity = { userId, deviceId, connectedAt: Date.now(), ready: false };
    server.serializeAttachment(identity);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const identity = ws.deserializeAttachment() as SocketIdentity;
    const message = typeof raw === 'string' ? parseClientMessage(raw) : undefined;
    if (!message) {
      send(ws, { type: 'error', reason: 'bad_message', message: 'Unreadable message', reload: false });
      return;
    }
    switch (message.type) {
      case 'hello': {
        if (message.protocol !== LIVE_PROTOCOL_VERSION) {
          send(ws, {
            type: 'error',
            reason: 'incompatible_protocol',
            message: `This app speaks protocol ${message.protocol}; the server speaks ${LIVE_PROTOCOL_VERSION}. Reload to update.`,
            reload: message.protocol < LIVE_PROTOCOL_VERSION,
          });
          ws.close(4000, 'incompatible protocol');
          return;
        }
        ws.serializeAttachment({ ...identity, ready: true } satisfies SocketIdentity);
        send(ws, { type: 'welcome', protocol: LIVE_PROTOCOL_VERSION, serverTime: Date.now() });
        return;
      }
      case 'ping':
        send(ws, { type: 'pong', t: message.t, serverTime: Date.now() });
        return;
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // Echo the close so the client's close handshake completes promptly.
    try {
      ws.close(code === 1005 ? 1000 : code, 'closed');
    } catch {
      // already closed
    }
  }

  /** The identities of the sockets currently connected (hibernation-safe). */
  connected(): SocketIdentity[] {
    return this.ctx.getWebSockets().map((ws) => ws.deserializeAttachment() as SocketIdentity);
  }
}

function send(ws: WebSocket, message: ServerMessage): void {
  ws.send(JSON.stringify(message));
}
