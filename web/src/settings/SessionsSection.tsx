import { useEffect, useState } from 'preact/hooks';
import type { SessionInfo } from '../../../shared/auth-api';
import type { ProblemBody } from '../../../shared/problem';
import { api, toProblem } from '../api/client';
import { formatWhen } from './format';

type State = { kind: 'loading' } | { kind: 'ready'; sessions: SessionInfo[] } | { kind: 'failed'; problem: ProblemBody };

function byRecent(a: SessionInfo, b: SessionInfo): number {
  return Number(b.current) - Number(a.current) || b.lastSeenAt - a.lastSeenAt;
}

/** Where the user is signed in, this device first; any other can be signed out from here. */
export function SessionsSection({ version }: { version: number }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemBody | null>(null);

  useEffect(() => {
    let live = true;
    api.get<{ sessions: SessionInfo[] }>('/api/auth/sessions').then(
      ({ sessions }) => live && setState({ kind: 'ready', sessions: [...sessions].sort(byRecent) }),
      (e) => live && setState({ kind: 'failed', problem: toProblem(e) }),
    );
    return () => {
      live = false;
    };
  }, [version, attempt]);

  async function revoke(session: SessionInfo) {
    setRevoking(session.id);
    setProblem(null);
    try {
      await api.del(`/api/auth/sessions/${encodeURIComponent(session.id)}`);
      setState((s) => (s.kind === 'ready' ? { ...s, sessions: s.sessions.filter((x) => x.id !== session.id) } : s));
    } catch (e) {
      setProblem(toProblem(e));
    } finally {
      setRevoking(null);
    }
  }

  return (
    <section class="settings-section" aria-labelledby="settings-devices">
      <h2 id="settings-devices">Your devices</h2>
      {state.kind === 'loading' && <p class="muted">Loading your devices…</p>}
      {state.kind === 'failed' && (
        <div class="form-problem" role="alert">
          <p>{state.problem.detail ?? state.problem.title}</p>
          <button type="button" class="secondary" onClick={() => setAttempt(attempt + 1)}>
            Try again
          </button>
        </div>
      )}
      {problem && (
        <div class="form-problem" role="alert">
          <p>{problem.detail ?? problem.title}</p>
        </div>
      )}
      {state.kind === 'ready' && (
        <ul class="sessions">
          {state.sessions.map((s) => (
            <li key={s.id} class="session">
              <div class="session-text">
                <strong>{s.deviceLabel}</strong>
                {s.current && <span class="badge">This device</span>}
                <span class="muted">
                  {s.current ? 'Active now' : `Last active ${formatWhen(s.lastSeenAt)}`} · signed in {formatWhen(s.createdAt)}
                </span>
              </div>
              {!s.current && (
                <button
                  type="button"
                  class="secondary"
                  disabled={revoking !== null}
                  aria-label={`Sign out ${s.deviceLabel}, last active ${formatWhen(s.lastSeenAt)}`}
                  onClick={() => void revoke(s)}
                >
                  {revoking === s.id ? 'Signing out…' : 'Sign out'}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
