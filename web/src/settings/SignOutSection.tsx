import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { ProblemBody } from '../../../shared/problem';
import { ApiError, api, toProblem } from '../api/client';
import { signedOut } from '../auth/session';

/** Sign out here, or on every device at once (a lost phone). */
export function SignOutSection() {
  const { route } = useLocation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemBody | null>(null);

  async function signOut(path: '/api/auth/signout' | '/api/auth/signout-everywhere') {
    setBusy(true);
    setProblem(null);
    try {
      await api.post(path);
    } catch (e) {
      // Offline, the session would live on: say so rather than pretend.
      // A 401 means it has ended already, which is what the user wanted.
      if (!(e instanceof ApiError && e.status === 401)) {
        setProblem(toProblem(e));
        setBusy(false);
        return;
      }
    }
    route('/signin', true);
    signedOut();
  }

  return (
    <section class="settings-section" aria-labelledby="settings-signout">
      <h2 id="settings-signout">Sign out</h2>
      {problem && (
        <div class="form-problem" role="alert">
          <p>{problem.detail ?? problem.title}</p>
        </div>
      )}
      <div class="form-actions">
        <button type="button" disabled={busy} onClick={() => void signOut('/api/auth/signout')}>
          Sign out
        </button>
        <button
          type="button"
          class="secondary"
          disabled={busy}
          aria-describedby="signout-everywhere-hint"
          onClick={() => void signOut('/api/auth/signout-everywhere')}
        >
          Sign out everywhere
        </button>
      </div>
      <p id="signout-everywhere-hint" class="muted">
        Sign out everywhere ends your sessions on every device, this one included.
      </p>
    </section>
  );
}
