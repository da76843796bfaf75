/**
 * The history screen's data: the cached calls at once (offline too), then
 * the server's first page, which replaces the cache; older pages on demand.
 * The missed tab asks the server for missed calls, or filters the cache
 * when offline.
 */
import { useCallback, useRef, useState } from 'preact/hooks';
import type { HistoryCall, HistoryFilter, HistoryPage } from '../../../shared/calls-api';
import { api, toProblem } from '../api/client';
import { me } from '../auth/session';
import { ownerKey } from '../auth/user-change';
import { useLiveRefresh } from '../live/use-live-refresh';
import { CACHED_CALLS, readCachedHistory, saveHistory } from './history-db';
import { markMissedSeen } from './missed-badge';

/** Where the list stands. */
export type HistoryStatus = 'loading' | 'ready' | 'offline' | 'error';

export interface HistoryState {
  calls: HistoryCall[];
  status: HistoryStatus;
  /** When the shown list came from the device's cache: when the server last answered. */
  cachedAt: number | null;
  /** More calls on the server, older than the last shown. */
  hasMore: boolean;
  loadingMore: boolean;
  problem: string | null;
  loadMore(): void;
  refresh(): void;
}

const PAGE = 50;

async function fetchPage(filter: HistoryFilter, cursor?: string | null): Promise<HistoryPage> {
  const params = new URLSearchParams({ filter, limit: String(PAGE) });
  if (cursor) params.set('cursor', cursor);
  return api.get<HistoryPage>(`/api/calls?${params}`);
}

/** Loads the user's history for one filter (`all` or `missed`). */
export function useHistory(filter: 'all' | 'missed'): HistoryState {
  const owner = me.value ? ownerKey(me.value) : null;
  const [calls, setCalls] = useState<HistoryCall[]>([]);
  const [status, setStatus] = useState<HistoryStatus>('loading');
  const [cachedAt, setCachedAt] = useState<number | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Answers for an older filter or user are dropped.
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    if (!owner) return;
    const mine = ++generation.current;
    try {
      const cached = await readCachedHistory(owner).catch(() => ({ calls: [] as HistoryCall[], savedAt: null }));
      if (mine !== generation.current) return;
      if (cached.calls.length > 0) {
        setCalls(filter === 'missed' ? cached.calls.filter((c) => c.missed) : cached.calls);
        setCachedAt(cached.savedAt);
      }
      const first = await fetchPage(filter);
      if (mine !== generation.current) return;
      setCalls(first.calls);
      setNext(first.next);
      setCachedAt(null);
      setStatus('ready');
      setProblem(null);
      // The full list is what the device keeps; the missed tab is a view of it.
      if (filter === 'all') void saveHistory(owner, first.calls).catch(() => {});
      // Seen: the badge clears.
      void markMissedSeen();
    } catch (e) {
      if (mine !== generation.current) return;
      const p = toProblem(e);
      setStatus(p.status === 0 ? 'offline' : 'error');
      setProblem(p.detail ?? p.title);
    }
  }, [owner, filter]);

  // A missed call while the screen is open shows at once.
  useLiveRefresh(refresh, 'missed_call', generation, () => {
    setCalls([]);
    setNext(null);
    setStatus('loading');
  });

  const loadMore = useCallback(async () => {
    if (!next || loadingMore || !owner) return;
    const mine = generation.current;
    setLoadingMore(true);
    try {
      const page = await fetchPage(filter, next);
      if (mine !== generation.current) return;
      setCalls((shown) => {
        const all = [...shown, ...page.calls.filter((c) => !shown.some((s) => s.id === c.id))];
        if (filter === 'all' && shown.length < CACHED_CALLS) void saveHistory(owner, all).catch(() => {});
        return all;
      });
      setNext(page.next);
    } catch (e) {
      const p = toProblem(e);
      setProblem(p.detail ?? p.title);
    } finally {
      setLoadingMore(false);
    }
  }, [next, loadingMore, owner, filter]);

  return {
    calls,
    status,
    cachedAt,
    hasMore: next !== null,
    loadingMore,
    problem,
    loadMore: () => void loadMore(),
    refresh: () => void refresh(),
  };
}
