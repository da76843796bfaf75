import type { PresenceEntry, PresenceState } from '../../shared/live-protocol';

/** A call state the media edge reports for one of a user's devices. */
export type EdgeCallState = 'idle' | 'ringing' | 'on_call';

/** One user's part in one call, as the media edge's events show it. */
export interface CallStateChange {
  userId: string;
  /** The call's record id: each call is kept on its own. */
  callId: string;
  state: EdgeCallState;
  /** When the edge saw it (ms since the epoch): a late event's state runs out as if it had come on time. */
  at?: number;
}

/** Do-not-disturb as D1 holds it. */
export interface DndState {
  on: boolean;
  changedAt: number | null;
}

/** Everything the hub knows about one user, gathered across their devices. */
export interface PresenceInputs {
  userId: string;
  /** Open live sockets (the app, any tab, any device). */
  sockets: number;
  /** Any device registered with the media edge (SIP). */
  registered: boolean;
  /** The most telling state across the user's calls. */
  call: Exclude<EdgeCallState, 'idle'> | null;
  dnd: DndState | undefined;
}

/**
 * One user's presence. Online while any device is connected (app socket or
 * SIP registration, or a call in progress, which needs one); then a call
 * beats ringing beats do-not-disturb beats available.
 */
export function derivePresence(input: PresenceInputs): PresenceEntry {
  const dnd = input.dnd?.on ?? false;
  const online = input.sockets > 0 || input.registered || input.call !== null;
  let state: PresenceState;
  if (!online) state = 'offline';
  else if (input.call === 'on_call') state = 'on_call';
  else if (input.call === 'ringing') state = 'ringing';
  else if (dnd) state = 'dnd';
  else state = 'available';
  return { userId: input.userId, state, dnd, dndChangedAt: input.dnd?.changedAt ?? null };
}

/** The most telling of several devices' call states. */
export function strongestCall(states: Iterable<EdgeCallState | null>): Exclude<EdgeCallState, 'idle'> | null {
  let best: Exclude<EdgeCallState, 'idle'> | null = null;
  for (const s of states) {
    if (s === 'on_call') return 'on_call';
    if (s === 'ringing') best = 'ringing';
  }
  return best;
}

/** Whether two entries would look the same to a client. */
export function samePresence(a: PresenceEntry | undefined, b: PresenceEntry): boolean {
  return a !== undefined && a.state === b.state && a.dnd === b.dnd && a.dndChangedAt === b.dndChangedAt;
}

/** An entry a client would not need to be told about: absent means exactly this. */
export function isDefaultPresence(entry: PresenceEntry): boolean {
  return entry.state === 'offline' && !entry.dnd;
}
