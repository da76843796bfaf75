/**
 * The live channel's protocol (`/api/live`), shared by the Worker's LiveHub
 * and the PWA. Versioned: a client speaking an older protocol is told to
 * reload rather than misread messages; one speaking a newer protocol (it
 * reached the browser before the deploy reached this server) is refused
 * without being told to reload, and tries again later. Described for people
 * in `docs/live-protocol.md`; change both together.
 */
import { z } from 'zod';

/**
 * Bump when a message changes shape incompatibly (not for an added optional
 * field or event kind an older client can ignore: the server accepts only
 * its own version, so every bump sends every open app to reload).
 * 2: `hello` carries `lastSeq`, `welcome` carries the presence snapshot; presence and events added.
 */
export const LIVE_PROTOCOL_VERSION = 2;

/** Close codes the hub uses; the client decides from them whether to reconnect. */
export const LIVE_CLOSE = {
  /**
   * The app's protocol is not this server's. The `incompatible_protocol`
   * error sent just before says which way: `reload: true`, the app is older
   * (reload, do not reconnect); `reload: false`, the app is newer (reloading
   * would not help: try again later).
   */
  incompatible: 4000,
  /** The session behind the socket ended (signed out, revoked, expired): do not reconnect. */
  sessionEnded: 4001,
  /** The hub closed a socket that said no hello in time or went silent (a dead connection): reconnecting is fine. */
  idle: 4002,
} as const;

/** How often the app pings, and how long it waits for the pong before it treats the socket as dead. */
export const LIVE_PING_INTERVAL_MS = 25_000;
export const LIVE_PONG_TIMEOUT_MS = 10_000;

/**
 * The app's keep-alive, byte for byte. The runtime answers it with
 * {@link LIVE_PONG_FRAME} without waking the hub, so idle phones cost
 * nothing; a ping carrying `t` is answered by the hub itself (with `t` and
 * the server's clock).
 */
export const LIVE_PING_FRAME = '{"type":"ping"}';
export const LIVE_PONG_FRAME = '{"type":"pong"}';

const id = z.string().min(1).max(64);

// ─── Presence ────────────────────────────────────────────────────────────────

/** What colleagues see of a user, most telling first: a call beats do-not-disturb beats available. */
export const presenceState = z.enum(['available', 'ringing', 'on_call', 'dnd', 'offline']);
export type PresenceState = z.infer<typeof presenceState>;

/** One user's presence. `dnd` is the switch itself, kept even while the state says something else (offline, on a call). */
export const presenceEntry = z.object({
  userId: id,
  state: presenceState,
  dnd: z.boolean(),
  /** When do-not-disturb last changed (ms since the epoch), null if never. */
  dndChangedAt: z.number().nullable(),
});
export type PresenceEntry = z.infer<typeof presenceEntry>;

/**
 * Why a presence message was sent. `dnd` marks a do-not-disturb change;
 * `expiry` a registration or call the media edge stopped reporting; `resync`
 * a correction found when the hub started (after hibernation or eviction),
 * which may itself be a do-not-disturb change made while it slept.
 */
export const presenceCause = z.enum(['connect', 'disconnect', 'dnd', 'call', 'registration', 'expiry', 'resync']);
export type PresenceCause = z.infer<typeof presenceCause>;

/** The state a user has when the hub knows nothing about them. */
export function offlinePresence(userId: string): PresenceEntry {
  return { userId, state: 'offline', dnd: false, dndChangedAt: null };
}

// ─── Events ──────────────────────────────────────────────────────────────────

/**
 * Things other features push to a user's devices (or the whole business).
 * Delivered at least once: `id` is stable per happening, so a client drops
 * one it has seen. An event is a hint to refresh, not the data itself.
 */
export const liveEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('missed_call'), id, at: z.number(), callId: id.optional(), from: z.string().max(64).nullable().optional() }),
  z.object({
    kind: z.literal('new_voicemail'),
    id,
    at: z.number(),
    voicemailId: id.optional(),
    from: z.string().max(64).nullable().optional(),
  }),
  z.object({ kind: z.literal('new_sms'), id, at: z.number(), messageId: id.optional(), from: z.string().max(64).nullable().optional() }),
  z.object({ kind: z.literal('contacts_changed'), id, at: z.number(), cursor: z.string().max(128).optional() }),
  z.object({ kind: z.literal('licence_changed'), id, at: z.number() }),
]);
export type LiveEvent = z.infer<typeof liveEvent>;
export type LiveEventKind = LiveEvent['kind'];

/** Who an event goes to: every device of one user, or everyone connected in the business. */
export type LiveAudience = 'business' | { userId: string };

// ─── Client → server ─────────────────────────────────────────────────────────

export const clientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    protocol: z.number().int(),
    appVersion: z.string().max(64),
    /** The last event `seq` this device saw; the hub replays newer ones. Absent on a first connect. */
    lastSeq: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal('ping'), t: z.number().optional() }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

// ─── Server → client ─────────────────────────────────────────────────────────

/** Why the server refused a message or a connection. */
export const errorReason = z.enum(['incompatible_protocol', 'bad_message', 'not_ready', 'session_ended']);
export type ErrorReason = z.infer<typeof errorReason>;

export const serverMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    protocol: z.number().int(),
    serverTime: z.number(),
    you: z.object({ userId: id, deviceId: id }),
    /** Everyone who is not plainly offline (and offline users with do-not-disturb on); anyone absent is offline. */
    presence: z.array(presenceEntry),
    /** The newest event `seq` so far: the cursor to send in the next hello. */
    lastSeq: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('presence'), cause: presenceCause, user: presenceEntry }),
  z.object({ type: z.literal('event'), seq: z.number().int().nonnegative(), event: liveEvent }),
  z.object({ type: z.literal('pong'), t: z.number().optional(), serverTime: z.number().optional() }),
  z.object({
    type: z.literal('error'),
    reason: errorReason,
    message: z.string(),
    /**
     * True when the client must reload (a newer app) before talking again.
     * Keep this message readable by older clients: one that cannot read it
     * assumes it must reload.
     */
    reload: z.boolean(),
  }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;

/** The largest client frame the hub reads; anything bigger is a bad message. */
export const MAX_CLIENT_FRAME = 2048;

/** Parses one client frame; undefined when it is not a valid message. */
export function parseClientMessage(raw: string): ClientMessage | undefined {
  if (raw.length > MAX_CLIENT_FRAME) return undefined;
  try {
    const result = clientMessage.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** Parses one server frame; undefined when it is not a valid message. */
export function parseServerMessage(raw: string): ServerMessage | undefined {
  try {
    const result = serverMessage.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
