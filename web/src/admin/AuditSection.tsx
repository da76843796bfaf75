import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, AuditPage } from '../../../shared/admin-api';
import type { ProblemBody } from '../../../shared/problem';
import { api, toProblem } from '../api/client';
import { formatWhen } from '../settings/format';
import { describeEntry } from './audit-words';
import { adminChanges } from './changes';
import { LoadProblem } from './LoadProblem';

const PAGE = 20;

type State = { kind: 'loading' } | { kind: 'ready'; entries: AuditEntry[]; next: string | null } | { kind: 'failed'; problem: ProblemBody };

/** Every change made here, newest first, with who made it; older pages on request. */
export function AuditSection() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [more, setMore] = useState<{ busy: boolean; problem: ProblemBody | null }>({ busy: false, problem: null });
  const version = adminChanges.value;

  useEffect(() => {
    let live = true;
    api.get<AuditPage>(`/api/admin/audit?limit=${PAGE}`).then(
      (page) => live && setState({ kind: 'ready', entries: page.entries, next: page.nextCursor }),
      (e) => live && setState({ kind: 'failed', problem: toProblem(e) }),
    );
    return () => {
      live = false;
    };
  }, [version, attempt]);

  async function loadOlder() {
    if (state.kind !== 'ready' || !state.next || more.busy) return;
    setMore({ busy: true, problem: null });
    try {
      const page = await api.get<AuditPage>(`/api/admin/audit?limit=${PAGE}&cursor=${encodeURIComponent(state.next)}`);
      setState({ kind: 'ready', entries: [...state.entries, ...page.entries], next: page.nextCursor });
      setMore({ busy: false, problem: null });
    } catch (e) {
      setMore({ busy: false, problem: toProblem(e) });
    }
  }

  return (
    <section class="settings-section" aria-labelledby="admin-audit">
      <h2 id="admin-audit">Change log</h2>
      {state.kind === 'loading' && <p class="muted">Loading the change log…</p>}
      {state.kind === 'failed' && <LoadProblem what="The change log" problem={state.problem} retry={() => setAttempt(attempt + 1)} />}
      {state.kind === 'ready' && state.entries.length === 0 && <p class="muted">No changes yet.</p>}
      {state.kind === 'ready' && state.entries.length > 0 && (
        <ol class="admin-list admin-audit">
          {state.entries.map((e) => (
            <li key={e.id} class="admin-row">
              <div class="admin-row-text">
                <span>
                  <strong>{e.actor.name ?? 'A former admin'}</strong> {describeEntry(e)}
                </span>
                <span class="muted admin-row-detail">
                  <time dateTime={new Date(e.at).toISOString()}>{formatWhen(e.at)}</time>
                </span>
              </div>
            </li>
          ))}
        </ol>
      )}
      {more.problem && (
        <div class="form-problem" role="alert">
          <p>{more.problem.detail ?? more.problem.title}</p>
        </div>
      )}
      {state.kind === 'ready' && state.next && (
        <button type="button" class="secondary" disabled={more.busy} onClick={() => void loadOlder()}>
          {more.busy ? 'Loading…' : 'Show older changes'}
        </button>
      )}
    </section>
  );
}
