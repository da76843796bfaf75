import type { PresenceState } from '../../../shared/live-protocol';

/** Words for each state: the list never relies on colour alone. */
export const PRESENCE_LABELS: Record<PresenceState, string> = {
  available: 'Available',
  ringing: 'Ringing',
  on_call: 'On a call',
  dnd: 'Do not disturb',
  offline: 'Offline',
};
