import { DurableObject } from 'cloudflare:workers';
import {
  LIVE_CLOSE,
  LIVE_PING_FRAME,
  LIVE_PONG_FRAME,
  LIVE_PROTOCOL_VERSION,
  type LiveAudience,
  type LiveEvent,
  liveEvent,
  offlinePresence,
  type PresenceCause,
  type PresenceEntry,
  parseClientMessage,
  type ServerMessage,
} from '../../shared/live-protocol';
import { loadBusinessDnd } from '../presence/dnd';
import { HubStore } from './hub-store';
import { type CallStateChange, type DndState, derivePresence, isDefaultPresence, samePresence } from './presence-model';
import { liveSessionIds } from './session-check';
import { type SocketIdentity, SocketRegistry } from './sockets';

export type { SocketIdentity } from './sockets';

/** Header names the Worker uses to hand a checked identity to the hub. */
export const HUB_IDENTITY_HEADERS = { user: 'X-Hub-User', device: 'X-Hub-Device', session: 'X-Hub-Session' } as const;

/** A socket that has not said hello by then is closed (it holds a user "online" for nothing). */
const HELLO_TIMEOUT_MS = 30_000;
/**
 * A socket silent this long is a dead connection the network never closed
 * (a phone that lost signal). Pings come every 25 s, but a hidden tab's
 * timers may run only once a minute, so allow two of those to be missed.
 */
const SILENT_SOCKET_MS = 150_000;
/** While anyone is connected the hub wakes this often to close dead sockets. */
const SWEEP_INTERVAL_MS = 60_000;
/** How often sockets' sessions are checked again (signed out elsewhere, revoked, suspended). */
const SESSION_RECHECK_MS = 5 * 60_000;
/** A registration the edge does not renew counts for this long (SIP registrations are renewed well within it). */
const REGISTRATION_TTL_MS = 60 * 60_000;
/** Safety nets for a call whose end the edge never reported. */
const RINGING_MAX_MS = 2 * 60_000;
const CALL_MAX_MS = 12 * 60 * 60_000;

/** What `publish` did with an event. */
export interface PublishResult {
  seq: number;
  /** Sockets it was sent to now (devices that are away get it replayed on reconnect). */
  delivered: number;
  /** True when an event with this id was already published: nothing was sent again. */
  duplicate: boolean;
}

/**
 * The live hub: one Durable Object per business (never one global object),
 * named by the business id. Holds the business's WebSockets with the
 * hibernation API, so idle phones cost nothing (pings are answered by the
 * runtime); every socket's identity lives in its attachment and all maps are
 * rebuilt from `getWebSockets()`. Presence is derived, never stored as truth:
 * sockets (runtime), the media edge's registrations and calls (this object's
 * SQLite) and do-not-disturb (D1, reloaded whenever the object starts).
 */
export class LiveHub extends DurableObject<Env> {
  private readonly sockets: SocketRegistry;
  private readonly store: HubStore;
  private dnd = new Map<string, DndState>();
  /** The alarm as last set by this instance; null when none is known. */
  private alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sockets = new SocketRegistry(ctx);
    this.store = new HubStore(ctx.storage.sql);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(LIVE_PING_FRAME, LIVE_PONG_FRAME));
    void ctx.blockConcurrencyWhile(() => this.start());
  }

  /** The business this hub serves: the name it was addressed by. */
  private get businessId(): string {
    const name = this.ctx.id.name;
    if (!name) throw new Error('LiveHub must be addressed by name (the business id)');
    return name;
  }

  /**
   * Runs on every start, after hibernation or eviction alike: reload the
   * switches from D1, then correct anything clients were told that is no
   * longer true (after an eviction every socket is gone, so everyone who was
   * online is offline until their apps reconnect and say hello).
   */
  private async start(): Promise<void> {
    try {
      this.dnd = await loadBusinessDnd(this.env.DB, this.businessId);
    } catch (error) {
      // D1 unreachable: keep what clients were last told rather than flip everyone's switch off.
      log('warn', 'live hub could not load do-not-disturb from D1', { error: String(error) });
      this.dnd = new Map(this.store.sentUsers().map((e) => [e.userId, { on: e.dnd, changedAt: e.dndChangedAt }]));
    }
    this.alarmAt = await this.ctx.storage.getAlarm();
    this.refresh(this.knownUsers(), 'resync');
    await this.scheduleSweep();
  }

  // ─── Sockets ───────────────────────────────────────────────────────────────

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('Expected a WebSocket upgrade', { status: 426 });
    }
    const userId = request.headers.get(HUB_IDENTITY_HEADERS.user);
    const deviceId = request.headers.get(HUB_IDENTITY_HEADERS.device);
    const sessionId = request.headers.get(HUB_IDENTITY_HEADERS.session) ?? undefined;
    // Only the Worker reaches this object, after checking the session; a
    // missing identity is a bug in the caller, not a client error.
    if (!userId || !deviceId) return new Response('Missing identity', { status: 400 });

    const { 0: client, 1: server } = new WebSocketPair();
    this.sockets.accept(server, { userId, deviceId, sessionId, connectedAt: Date.now(), ready: false });
    this.refresh([userId], 'connect');
    await this.scheduleSweep();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const identity = this.sockets.identity(ws);
    const message = typeof raw === 'string' ? parseClientMessage(raw) : undefined;
    if (!message) {
      send(ws, { type: 'error', reason: 'bad_message', message: 'Unreadable message', reload: false });
      return;
    }
    const now = Date.now();
    switch (message.type) {
      case 'hello': {
        if (message.protocol !== LIVE_PROTOCOL_VERSION) {
          send(ws, {
            type: 'error',
            reason: 'incompatible_protocol',
            message: `This app speaks protocol ${message.protocol}; the server speaks ${LIVE_PROTOCOL_VERSION}. Reload to update.`,
            reload: message.protocol < LIVE_PROTOCOL_VERSION,
          });
          ws.close(LIVE_CLOSE.incompatible, 'incompatible protocol');
          this.gone(ws);
          return;
        }
        this.sockets.save(ws, { ...identity, ready: true, seenAt: now });
        // A fresh snapshot on every (re)connect: whatever happened while away is in it.
        send(ws, {
          type: 'welcome',
          protocol: LIVE_PROTOCOL_VERSION,
          serverTime: now,
          you: { userId: identity.userId, deviceId: identity.deviceId },
          presence: this.snapshot(),
          lastSeq: this.store.lastSeq(),
        });
        if (message.lastSeq !== undefined) {
          for (const { seq, event } of this.store.eventsAfter(message.lastSeq, identity.userId)) send(ws, { type: 'event', seq, event });
        }
        return;
      }
      case 'ping':
        // The bare ping is answered by the runtime; this one asked for the server's clock.
        this.sockets.save(ws, { ...identity, seenAt: now });
        send(ws, { type: 'pong', t: message.t, serverTime: now });
        return;
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // Echo the close so the client's close handshake completes promptly
    // (1005/1006 only describe a close; they cannot be sent).
    try {
      ws.close(code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000, 'closed');
    } catch {
      // already closed
    }
    this.gone(ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.gone(ws);
  }

  /** A socket ended: its user may have gone offline. */
  private gone(ws: WebSocket): void {
    if (!this.sockets.markGone(ws)) return;
    this.refresh([this.sockets.identity(ws).userId], 'disconnect');
  }

  /** The identities of the sockets currently connected (hibernation-safe). */
  connected(): SocketIdentity[] {
    return this.sockets.open().map((ws) => this.sockets.identity(ws));
  }

  // ─── Presence ──────────────────────────────────────────────────────────────

  /** Every user whose presence is not plainly offline (offline users with do-not-disturb on included). */
  snapshot(): PresenceEntry[] {
    const counts = this.sockets.perUser();
    // One read of the edge table for everyone: a reconnect storm asks for a thousand snapshots.
    const edge = this.store.edgeAll(Date.now());
    const offEdge = { registered: false, call: null };
    return [...this.knownUsers(edge.keys())]
      .map((userId) =>
        derivePresence({ userId, sockets: counts.get(userId) ?? 0, ...(edge.get(userId) ?? offEdge), dnd: this.dnd.get(userId) }),
      )
      .filter((e) => !isDefaultPresence(e));
  }

  /** One user's presence now. */
  presence(userId: string): PresenceEntry {
    return this.presenceOf(userId, this.sockets.perUser(), Date.now());
  }

  /**
   * Do-not-disturb changed in D1 (the route wrote it first): tell every
   * socket of the business. A change older than the one known is ignored, so
   * racing devices end on the later one, as D1 does.
   */
  async setDoNotDisturb(userId: string, on: boolean, changedAt: number): Promise<PresenceEntry> {
    const known = this.dnd.get(userId);
    if (!known || known.changedAt === null || changedAt >= known.changedAt) this.dnd.set(userId, { on, changedAt });
    this.refresh([userId], 'dnd');
    return this.presence(userId);
  }

  /**
   * Users' parts in calls, from the media edge's call events
   * (`worker/calls/presence-from-events.ts`). Each call is kept on its own, so
   * a second call ringing (call waiting) does not hide the call in progress,
   * and ending one leaves the other: on a call beats ringing, and the user is
   * free only when no call remains. `idle` ends a user's part in a call; a
   * state never ended runs out on its own (ringing after 2 minutes, a call
   * after 12 hours, counted from when the edge saw it).
   */
  async setCallStates(changes: CallStateChange[]): Promise<PresenceEntry[]> {
    for (const change of changes) {
      if (!['idle', 'ringing', 'on_call'].includes(change.state)) throw new TypeError(`unknown call state ${change.state}`);
    }
    const now = Date.now();
    for (const { userId, callId, state, at } of changes) {
      const when = Math.min(now, at ?? now);
      // An ended call is remembered as long as an answer's could last, so a write of it landing late cannot revive it.
      const until = when + (state === 'ringing' ? RINGING_MAX_MS : CALL_MAX_MS);
      // An event so late that its state has already run out changes nothing.
      this.store.setCall(userId, callId, until > now ? state : 'idle', when, until);
    }
    const users = [...new Set(changes.map((c) => c.userId))];
    this.refresh(users, 'call');
    await this.scheduleSweep();
    return users.map((userId) => this.presence(userId));
  }

  /**
   * The media edge's registrations, per SIP device (`worker/presence/registrations.ts`). A
   * registration counts until `expiresInMs` (the SIP Expires, default an
   * hour) unless renewed: a registrar that dies cannot leave anyone online.
   */
  async setRegistered(
    userId: string,
    registered: boolean,
    options: { deviceId?: string; expiresInMs?: number } = {},
  ): Promise<PresenceEntry> {
    const until = registered ? Date.now() + Math.max(1, options.expiresInMs ?? REGISTRATION_TTL_MS) : null;
    this.store.setRegistration(userId, options.deviceId ?? 'sip', until);
    this.refresh([userId], 'registration');
    await this.scheduleSweep();
    return this.presence(userId);
  }

  private presenceOf(userId: string, counts: Map<string, number>, now: number): PresenceEntry {
    return derivePresence({ userId, sockets: counts.get(userId) ?? 0, ...this.store.edgeFor(userId, now), dnd: this.dnd.get(userId) });
  }

  /** Everyone the hub has anything on. */
  private knownUsers(edgeUsers: Iterable<string> = this.store.edgeUsers()): Set<string> {
    return new Set([...this.sockets.perUser().keys(), ...edgeUsers, ...this.dnd.keys(), ...this.store.sentUsers().map((e) => e.userId)]);
  }

  /** Recomputes users' presence and tells every socket about each one that changed. */
  private refresh(userIds: Iterable<string>, cause: PresenceCause): void {
    const counts = this.sockets.perUser();
    const now = Date.now();
    for (const userId of new Set(userIds)) {
      const entry = this.presenceOf(userId, counts, now);
      const isDefault = isDefaultPresence(entry);
      const before = this.store.sent(userId) ?? offlinePresence(userId);
      // An offline user with the switch off looks the same whenever it was last touched.
      if (samePresence(before, isDefault ? offlinePresence(userId) : entry)) continue;
      this.store.recordSent(entry, isDefault);
      this.broadcast({ type: 'presence', cause, user: entry });
    }
  }

  // ─── Events ────────────────────────────────────────────────────────────────

  /**
   * Pushes an event to one user's devices or the whole business (other
   * features call this through `publishLiveEvent`). Kept for a day for
   * devices that were away; an id published before is not sent again.
   */
  async publish(input: LiveEvent, to: LiveAudience = 'business'): Promise<PublishResult> {
    const event = liveEvent.parse(input);
    const userId = to === 'business' ? undefined : to.userId;
    const seq = this.store.insertEvent(event, userId ?? null);
    if (seq === undefined) return { seq: this.store.seqOf(event.id) ?? 0, delivered: 0, duplicate: true };
    const targets = this.sockets.ready(userId);
    const frame = JSON.stringify({ type: 'event', seq, event } satisfies ServerMessage);
    for (const ws of targets) sendFrame(ws, frame);
    return { seq, delivered: targets.length, duplicate: false };
  }

  private broadcast(message: ServerMessage): void {
    // Serialised once: with a thousand sockets, the string is the cost.
    const frame = JSON.stringify(message);
    for (const ws of this.sockets.ready()) sendFrame(ws, frame);
  }

  // ─── Housekeeping ──────────────────────────────────────────────────────────

  /** Expires edge state, closes dead and hello-less sockets, re-checks sessions, and comes back later if needed. */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const now = Date.now();
    this.refresh(this.store.expireEdge(now), 'expiry');
    for (const ws of this.sockets.open()) {
      const identity = this.sockets.identity(ws);
      const dead = identity.ready ? now - this.sockets.lastHeard(ws) > SILENT_SOCKET_MS : now - identity.connectedAt > HELLO_TIMEOUT_MS;
      if (dead) this.closeSocket(ws, LIVE_CLOSE.idle, 'silent');
    }
    await this.recheckSessions(now);
    await this.scheduleSweep();
  }

  private async recheckSessions(now: number): Promise<void> {
    const checkedAt = this.ctx.storage.kv.get<number>('sessionsCheckedAt') ?? 0;
    if (now - checkedAt < SESSION_RECHECK_MS) return;
    this.ctx.storage.kv.put('sessionsCheckedAt', now);
    const withSession = this.sockets.open().filter((ws) => this.sockets.identity(ws).sessionId !== undefined);
    if (withSession.length === 0) return;
    let live: Set<string>;
    try {
      live = await liveSessionIds(
        this.env.DB,
        this.businessId,
        withSession.map((ws) => this.sockets.identity(ws).sessionId as string),
        now,
      );
    } catch (error) {
      // D1 unreachable: nobody is cut off for it; the next sweep asks again.
      log('warn', 'live hub could not re-check sessions', { error: String(error) });
      this.ctx.storage.kv.put('sessionsCheckedAt', checkedAt);
      return;
    }
    for (const ws of withSession) {
      if (live.has(this.sockets.identity(ws).sessionId as string)) continue;
      send(ws, { type: 'error', reason: 'session_ended', message: 'Your session has ended. Sign in again.', reload: false });
      this.closeSocket(ws, LIVE_CLOSE.sessionEnded, 'session ended');
    }
  }

  private closeSocket(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason);
    } catch {
      // already closing
    }
    // A dead peer never answers the close, so it is gone now, not when it replies.
    this.gone(ws);
  }

  /** Sets the alarm for the next sweep or edge expiry, unless an earlier one is set. */
  private async scheduleSweep(): Promise<void> {
    const candidates: number[] = [];
    if (this.sockets.perUser().size > 0) candidates.push(Date.now() + SWEEP_INTERVAL_MS);
    const edge = this.store.nextEdgeExpiry();
    if (edge !== null) candidates.push(edge);
    if (candidates.length === 0) return;
    const next = Math.min(...candidates);
    if (this.alarmAt !== null && this.alarmAt <= next) return;
    this.alarmAt = next;
    await this.ctx.storage.setAlarm(next);
  }
}

function send(ws: WebSocket, message: ServerMessage): void {
  sendFrame(ws, JSON.stringify(message));
}

function sendFrame(ws: WebSocket, frame: string): void {
  try {
    ws.send(frame);
  } catch {
    // Closed between listing and sending; its close handler updates presence.
  }
}

function log(level: 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'error') console.error(line);
  else console.warn(line);
}
