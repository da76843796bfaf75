import { computed, signal } from '@preact/signals';
import type { Colleague, ColleaguesResponse } from '../../../shared/presence-api';
import { api } from '../api/client';
import { coalesced } from '../api/coalesced';
import { me } from '../auth/session';
import { presence, snapshotAt } from '../live/store';

/** The colleagues list as the API last gave it, for whom. */
const loaded = signal<{ userId: string; colleagues: Colleague[] } | undefined>(undefined);
/** True when the last load failed and nothing is shown. */
export const colleaguesFailed = signal(false);

const readColleagues = coalesced(() => {
  const userId = me.value?.user.id;
  if (!userId) return Promise.resolve();
  return api
    .get<ColleaguesResponse>('/api/presence/colleagues')
    .then((res) => {
      if (me.value?.user.id !== userId) return;
      loaded.value = { userId, colleagues: res.colleagues };
      colleaguesFailed.value = false;
    })
    .catch(() => {
      colleaguesFailed.value = true;
    });
});

/**
 * Fetches names (and states, until the live channel speaks) for the signed-in
 * user's business. Asked again while a load is in flight, it loads once more
 * after it: that answer may predate the reason.
 */
export function loadColleagues(): Promise<void> {
  if (!me.value?.user.id) return Promise.resolve();
  return readColleagues({ again: true });
}

/** Forgets the list (sign-out, tests). */
export function resetColleagues(): void {
  loaded.value = undefined;
  colleaguesFailed.value = false;
  readColleagues.reset();
}

/**
 * The list as shown: names from the API, states from the live channel once
 * its snapshot arrived (it is the newer word), by name. Undefined until loaded.
 */
export const colleagueList = computed<Colleague[] | undefined>(() => {
  const current = loaded.value;
  if (!current || current.userId !== me.value?.user.id) return undefined;
  if (snapshotAt.value === null) return current.colleagues;
  const live = presence.value;
  return current.colleagues.map((c) => {
    const entry = live.get(c.userId);
    return { ...c, state: entry?.state ?? 'offline', dnd: entry?.dnd ?? false };
  });
});

/** Whether the live channel knows of someone the list does not (a new colleague): time to load again. */
export const hasUnknownColleague = computed(() => {
  const current = loaded.value;
  const self = me.value?.user.id;
  if (!current || !self) return false;
  const known = new Set(current.colleagues.map((c) => c.userId));
  for (const userId of presence.value.keys()) if (userId !== self && !known.has(userId)) return true;
  return false;
});
