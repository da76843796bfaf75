import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Me } from '../../../shared/auth-api';
import type { ProblemBody } from '../../../shared/problem';
import { api, toProblem } from '../api/client';
import { Screen } from '../app/Screen';
import { signedIn } from '../auth/session';

/** The emailed sign-up link: confirms the address, creates the account and opens the app signed in. */
export function SignUpConfirmScreen() {
  const { query, route } = useLocation();
  const token = query.token;
  const [problem, setProblem] = useState<ProblemBody | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    let live = true;
    setProblem(null);
    api.post<Me>('/api/auth/signup/confirm', { token }).then(
      (me) => {
        if (!live) return;
        signedIn(me);
        route('/', true);
      },
      (e) => live && setProblem(toProblem(e)),
    );
    return () => {
      live = false;
    };
  }, [token, attempt]);

  if (!token) {
    return (
      <Screen title="Confirm your email">
        <p role="alert">This link is incomplete. Open the link from the email again, or copy all of it into the address bar.</p>
      </Screen>
    );
  }
  if (!problem) {
    return (
      <Screen title="Confirm your email">
        <p role="status">Setting up your account…</p>
      </Screen>
    );
  }
  return (
    <Screen title="Confirm your email">
      <div class="form-problem" role="alert">
        <p>{problem.detail ?? problem.title}</p>
      </div>
      {(problem.status === 0 || problem.status >= 500) && (
        <button type="button" onClick={() => setAttempt(attempt + 1)}>
          Try again
        </button>
      )}
      <ul class="form-links">
        <li>
          <a href="/signin">Sign in</a>
        </li>
        <li>
          <a href="/signup">Sign up again</a>
        </li>
      </ul>
    </Screen>
  );
}
