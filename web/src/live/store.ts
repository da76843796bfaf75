import { signal } from '@preact/signals';
import { type LiveEvent, type LiveEventKind, offlinePresence, type PresenceEntry, type ServerMessage } from '../../../shared/live-protocol';
import type { LiveStatus } from './client';
import { RecentIds } from './recent-ids';

/** Where the live channel stands, for the UI. */
export const liveStatus = signal<LiveStatus>('stopped');

/** Presence by user id: the last welcome's snapshot plus every change since. Absent means offline. */
export const presence = signal<ReadonlyMap<string, PresenceEntry>>(new Map());

/** When the last welcome arrived: until then `presence` is not the server's word. */
export const snapshotAt = signal<number | null>(null);

/** The newest event, once per event id (events are delivered at least once). */
export const lastLiveEvent = signal<LiveEvent | null>(null);

type EventHandler = (event: LiveEvent) => void;
const handlers = new Set<{ kind: LiveEventKind | undefined; handler: EventHandler }>();
const seen = new RecentIds();
/** The newest event seq this page saw; sent in hello so the hub replays what came while away. */
let cursor: number | undefined;

/** A user's presence, offline when the channel knows nothing of them. */
export function presenceFor(userId: string): PresenceEntry {
  return presence.value.get(userId) ?? offlinePresence(userId);
}

/** Runs `handler` for each new event (of one kind, if given); returns the unsubscribe. */
export function onLiveEvent(handler: EventHandler, kind?: LiveEventKind): () => void {
  const entry = { kind, handler };
  handlers.add(entry);
  return () => handlers.delete(entry);
}

/** The cursor for the next hello. */
export function liveCursor(): number | undefined {
  return cursor;
}

/** Applies one server message to the signals. */
export function applyServerMessage(message: ServerMessage): void {
  switch (message.type) {
    case 'welcome':
      // A full snapshot: replace, never merge, so a change missed while away cannot linger.
      presence.value = new Map(message.presence.map((entry) => [entry.userId, entry]));
      snapshotAt.value = Date.now();
      // First connect: start from now. A server whose history restarted below our cursor: follow it.
      if (cursor === undefined || message.lastSeq < cursor) cursor = message.lastSeq;
      return;
    case 'presence': {
      const next = new Map(presence.value);
      next.set(message.user.userId, message.user);
      presence.value = next;
      return;
    }
    case 'event':
      cursor = Math.max(cursor ?? 0, message.seq);
      if (!seen.add(message.event.id)) return;
      lastLiveEvent.value = message.event;
      for (const { kind, handler } of handlers) if (kind === undefined || kind === message.event.kind) handler(message.event);
      return;
    default:
      return;
  }
}

/** Forgets everything (sign-out): the next user starts from nothing. */
export function resetLive(): void {
  presence.value = new Map();
  snapshotAt.value = null;
  lastLiveEvent.value = null;
  seen.clear();
  cursor = undefined;
}
