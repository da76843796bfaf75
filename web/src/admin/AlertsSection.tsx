import { useEffect, useState } from 'preact/hooks';
import type { ProblemBody } from '../../../shared/problem';
import { api, toProblem } from '../api/client';
import { formatWhen } from '../settings/format';

/** One alert of `GET /api/admin/alerts` (an empty number pool now; fraud later). */
export interface AdminAlert {
  id: string;
  kind: string;
  message: string;
  createdAt: number;
  resolvedAt: number | null;
}

/** Kinds that stop people working: shown first, in red, with a title of their own. */
const URGENT = new Map<string, string>([['number_pool_empty', 'No free phone numbers']]);

type State = { kind: 'loading' } | { kind: 'ready'; alerts: AdminAlert[] } | { kind: 'failed'; problem: ProblemBody };

function urgentFirst(a: AdminAlert, b: AdminAlert): number {
  return Number(URGENT.has(b.kind)) - Number(URGENT.has(a.kind)) || b.createdAt - a.createdAt;
}

/** The business's open alerts; nothing at all when there are none. */
export function AlertsSection() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    api.get<{ alerts: AdminAlert[] }>('/api/admin/alerts').then(
      ({ alerts }) => live && setState({ kind: 'ready', alerts: alerts.filter((a) => a.resolvedAt === null).sort(urgentFirst) }),
      (e) => live && setState({ kind: 'failed', problem: toProblem(e) }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  if (state.kind === 'loading') return null;
  if (state.kind === 'failed') {
    return (
      <div class="form-problem admin-alerts-failed" role="alert">
        <p>Alerts could not be loaded. {state.problem.detail ?? state.problem.title}</p>
        <button type="button" class="secondary" onClick={() => setAttempt(attempt + 1)}>
          Try again
        </button>
      </div>
    );
  }
  if (state.alerts.length === 0) return null;
  return (
    <section class="admin-alerts" aria-labelledby="admin-alerts">
      <h2 id="admin-alerts">Needs your attention</h2>
      <ul>
        {state.alerts.map((a) => {
          const title = URGENT.get(a.kind);
          return (
            <li key={a.id} class={title ? 'admin-alert admin-alert-urgent' : 'admin-alert'}>
              {title && (
                <strong>
                  <span aria-hidden="true">⚠ </span>
                  {title}
                </strong>
              )}
              <p>{a.message}</p>
              <p class="muted">Since {formatWhen(a.createdAt)}</p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
