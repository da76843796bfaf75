import { computed, signal } from '@preact/signals';
import type { DndStatus } from '../../../shared/presence-api';
import { api, toProblem } from '../api/client';
import { me } from '../auth/session';
import { presence, snapshotAt } from '../live/store';

/** The last answer of `PUT /api/me/dnd`, for whom. */
const saved = signal<(DndStatus & { userId: string }) | undefined>(undefined);
/** The value asked for while the request is in flight, shown at once. */
const requested = signal<boolean | null>(null);

/** True while a change is being saved. */
export const dndSaving = signal(false);
/** Why the last change failed, for the person. */
export const dndError = signal<string | null>(null);

/**
 * The signed-in user's do-not-disturb: what they just asked for, else the
 * newer of the live channel's word and the last save (undefined until either
 * has spoken). Other devices' changes arrive through the live channel.
 */
export const myDnd = computed<boolean | undefined>(() => {
  if (requested.value !== null) return requested.value;
  const userId = me.value?.user.id;
  if (!userId) return undefined;
  const entry = presence.value.get(userId);
  const live = snapshotAt.value !== null ? { on: entry?.dnd ?? false, changedAt: entry?.dndChangedAt ?? null } : undefined;
  const mine = saved.value?.userId === userId ? saved.value : undefined;
  if (!live) return mine?.on;
  if (!mine) return live.on;
  return (mine.changedAt ?? 0) > (live.changedAt ?? 0) ? mine.on : live.on;
});

/** Turns do-not-disturb on or off for all of the user's devices. */
export async function setDnd(on: boolean): Promise<void> {
  const userId = me.value?.user.id;
  if (!userId || dndSaving.value) return;
  requested.value = on;
  dndSaving.value = true;
  dndError.value = null;
  try {
    const status = await api.put<DndStatus>('/api/me/dnd', { on });
    saved.value = { ...status, userId };
  } catch (error) {
    dndError.value = toProblem(error).detail ?? 'Do-not-disturb could not be changed. Try again.';
  } finally {
    requested.value = null;
    dndSaving.value = false;
  }
}
