/** Who a socket belongs to; kept in the socket's attachment so it survives hibernation. */
export interface SocketIdentity {
  userId: string;
  deviceId: string;
  /** The session the socket was opened with; the hub re-checks it now and then. Absent only for sockets opened without one (tests). */
  sessionId?: string;
  connectedAt: number;
  /** Set once the client's hello carried a protocol we speak. */
  ready: boolean;
  /** Last time the client spoke to the hub itself (auto-answered pings are read from the runtime). */
  seenAt?: number;
}

/** The tag every socket of a user carries, so the runtime finds a user's sockets directly. */
export function userTag(userId: string): string {
  return `user:${userId}`;
}

/** WebSocket.OPEN; the constant is not on workerd's WebSocket class in every version. */
const OPEN = 1;

/**
 * The hub's view of its sockets. The runtime holds them (`getWebSockets()`)
 * and each one's identity is in its attachment; this only caches what it
 * reads, and is rebuilt from scratch whenever the object wakes, so nothing
 * depends on memory surviving hibernation.
 */
export class SocketRegistry {
  private readonly identities = new WeakMap<WebSocket, SocketIdentity>();
  /** Sockets that closed or failed; the runtime may still list them while their handlers run. */
  private readonly gone = new WeakSet<WebSocket>();
  /** Open sockets per user, kept up to date once built; `counted` says which sockets are in it. */
  private perUserCache: Map<string, number> | undefined;
  private counted = new WeakSet<WebSocket>();

  constructor(private readonly ctx: DurableObjectState) {}

  /** Accepts a new hibernatable socket with its identity. */
  accept(ws: WebSocket, identity: SocketIdentity): void {
    this.ctx.acceptWebSocket(ws, [userTag(identity.userId)]);
    this.save(ws, identity);
    // Counted in place: rebuilding from a thousand attachments on every connect would make a reconnect storm quadratic.
    if (this.perUserCache) this.count(ws, identity.userId, +1);
  }

  /** A socket's identity. */
  identity(ws: WebSocket): SocketIdentity {
    let identity = this.identities.get(ws);
    if (!identity) {
      identity = ws.deserializeAttachment() as SocketIdentity;
      this.identities.set(ws, identity);
    }
    return identity;
  }

  /** Changes a socket's identity, in its attachment and here. */
  save(ws: WebSocket, identity: SocketIdentity): void {
    ws.serializeAttachment(identity);
    this.identities.set(ws, identity);
  }

  /** Marks a socket closed; returns false when it already was (close and error both arrive). */
  markGone(ws: WebSocket): boolean {
    if (this.gone.has(ws)) return false;
    this.gone.add(ws);
    // Only a socket the counts include comes out of them (one that was closing when they were built never went in).
    if (this.counted.has(ws)) this.count(ws, this.identity(ws).userId, -1);
    return true;
  }

  /** Open sockets, optionally only one user's. */
  open(userId?: string): WebSocket[] {
    const all = userId === undefined ? this.ctx.getWebSockets() : this.ctx.getWebSockets(userTag(userId));
    return all.filter((ws) => !this.gone.has(ws) && ws.readyState === OPEN);
  }

  /** Open sockets that said hello: the ones that understand broadcasts. */
  ready(userId?: string): WebSocket[] {
    return this.open(userId).filter((ws) => this.identity(ws).ready);
  }

  /** How many open sockets each user has. */
  perUser(): Map<string, number> {
    if (!this.perUserCache) {
      this.perUserCache = new Map();
      this.counted = new WeakSet();
      for (const ws of this.open()) this.count(ws, this.identity(ws).userId, +1);
    }
    return this.perUserCache;
  }

  private count(ws: WebSocket, userId: string, delta: 1 | -1): void {
    const counts = this.perUserCache as Map<string, number>;
    const next = (counts.get(userId) ?? 0) + delta;
    if (next > 0) counts.set(userId, next);
    else counts.delete(userId);
    if (delta > 0) this.counted.add(ws);
    else this.counted.delete(ws);
  }

  /** When a socket last showed it is alive: its own messages or the runtime's automatic pong. */
  lastHeard(ws: WebSocket): number {
    const identity = this.identity(ws);
    const auto = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
    return Math.max(identity.connectedAt, identity.seenAt ?? 0, auto);
  }
}
