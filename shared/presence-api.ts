/**
 * The presence REST API (`/api/me/dnd`, `/api/presence/colleagues`): request
 * schemas validated by the Worker and used by the PWA, and response shapes.
 * Live changes arrive over `/api/live` (`live-protocol.ts`).
 */
import { z } from 'zod';
import type { PresenceState } from './live-protocol';

/** `PUT /api/me/dnd`: turn do-not-disturb on or off. */
export const dndRequest = z.strictObject({ on: z.boolean({ error: 'Say true or false.' }) });
export type DndRequest = z.input<typeof dndRequest>;

/** The caller's do-not-disturb switch. */
export interface DndStatus {
  on: boolean;
  /** When it last changed (ms since the epoch), null if never. */
  changedAt: number | null;
}

/** One colleague as the list shows them: a name, never only an id. */
export interface Colleague {
  userId: string;
  name: string;
  /**
   * Their extension, null when they have none: the app dials it (else the
   * user id, which the edge also accepts). Added without a version: older
   * apps ignore it.
   */
  extension: string | null;
  state: PresenceState;
  dnd: boolean;
}

/** `GET /api/presence/colleagues`: the caller's business, the caller excluded, by name. */
export interface ColleaguesResponse {
  colleagues: Colleague[];
}
