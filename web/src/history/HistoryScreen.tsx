import { useState } from 'preact/hooks';
import { EmptyState, Screen } from '../app/Screen';
import { CallEntry } from './CallEntry';
import { dayLabel, groupByDay } from './history-format';
import { useHistory } from './use-history';

/** The History screen: the user's calls by day, missed ones marked, each one tap from calling back; works offline from the cache. */
export function HistoryScreen() {
  const [filter, setFilter] = useState<'all' | 'missed'>('all');
  const history = useHistory(filter);
  const groups = groupByDay(history.calls);
  return (
    <Screen title="History">
      <fieldset class="history-filters">
        <legend class="visually-hidden">Show</legend>
        {(['all', 'missed'] as const).map((f) => (
          <button key={f} type="button" class="history-filter" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {f === 'all' ? 'All calls' : 'Missed'}
          </button>
        ))}
      </fieldset>
      {history.status === 'offline' && (
        <p class="history-note muted" role="status">
          {history.calls.length > 0
            ? 'Offline: showing the calls saved on this device.'
            : 'Offline: no calls are saved on this device yet.'}
        </p>
      )}
      {history.status === 'error' && (
        <p class="history-note" role="alert">
          {history.problem}{' '}
          <button type="button" class="secondary" onClick={history.refresh}>
            Try again
          </button>
        </p>
      )}
      {history.calls.length === 0 && history.status === 'ready' && (
        <EmptyState>
          {filter === 'missed' ? 'No missed calls.' : 'No calls yet. Calls you make and receive will be listed here.'}
        </EmptyState>
      )}
      {history.calls.length === 0 && history.status === 'loading' && <p class="muted">Loading your calls…</p>}
      {groups.map((group) => (
        <section key={group.key} class="history-day" aria-label={dayLabel(group.at)}>
          <h2>{dayLabel(group.at)}</h2>
          <ul class="history-list">
            {group.calls.map((call) => (
              <CallEntry key={call.id} call={call} />
            ))}
          </ul>
        </section>
      ))}
      {history.hasMore && (
        <button type="button" class="secondary history-more" onClick={history.loadMore} disabled={history.loadingMore}>
          {history.loadingMore ? 'Loading…' : 'Show older calls'}
        </button>
      )}
    </Screen>
  );
}
