/**
 * Keeps a screen's server-backed list fresh: loads it when shown, again on
 * each live event of one kind (something new arrived while it is open) and
 * when the app comes back online. Used by the history and voicemail screens.
 */
import { type MutableRef, useEffect } from 'preact/hooks';
import type { LiveEventKind } from '../../../shared/live-protocol';
import { onLiveEvent } from './store';

/**
 * Runs `refresh` now, on each `kind` event and on `online`, until unmounted or
 * until `refresh` or `dependsOn` change; `reset` runs first each time (the list
 * starts over). Bumps `generation` on the way out, so answers still in flight
 * for the old list are dropped.
 */
export function useLiveRefresh(
  refresh: () => Promise<void>,
  kind: LiveEventKind,
  generation: MutableRef<number>,
  reset: () => void,
  dependsOn?: unknown,
): void {
  useEffect(() => {
    reset();
    void refresh();
    const stop = onLiveEvent(() => void refresh(), kind);
    const online = () => void refresh();
    window.addEventListener('online', online);
    return () => {
      generation.current++;
      stop();
      window.removeEventListener('online', online);
    };
  }, [refresh, kind, generation, dependsOn]);
}
