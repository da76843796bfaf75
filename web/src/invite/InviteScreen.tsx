import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { InvitationPreview } from '../../../shared/auth-api';
import type { ProblemBody } from '../../../shared/problem';
import { api, toProblem } from '../api/client';
import { Screen } from '../app/Screen';
import { AcceptForm } from './AcceptForm';

type State = { kind: 'loading' } | { kind: 'ready'; preview: InvitationPreview } | { kind: 'failed'; problem: ProblemBody };

/** The emailed invitation link: which business invited whom, then name and password to join it. */
export function InviteScreen() {
  const { query } = useLocation();
  const token = query.token;
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    let live = true;
    setState({ kind: 'loading' });
    api.get<InvitationPreview>(`/api/invitations/${encodeURIComponent(token)}`).then(
      (preview) => live && setState({ kind: 'ready', preview }),
      (e) => live && setState({ kind: 'failed', problem: toProblem(e) }),
    );
    return () => {
      live = false;
    };
  }, [token, attempt]);

  if (!token) return <Invalid />;
  if (state.kind === 'loading') {
    return (
      <Screen title="Your invitation">
        <p role="status">Opening your invitation…</p>
      </Screen>
    );
  }
  if (state.kind === 'failed') {
    if (state.problem.status === 404) return <Invalid />;
    return (
      <Screen title="Your invitation">
        <div class="form-problem" role="alert">
          <p>{state.problem.detail ?? state.problem.title}</p>
        </div>
        <button type="button" onClick={() => setAttempt(attempt + 1)}>
          Try again
        </button>
      </Screen>
    );
  }
  const { preview } = state;
  return (
    <Screen title={`Join ${preview.businessName}`}>
      {preview.email ? (
        <AcceptForm token={token} preview={preview} email={preview.email} />
      ) : (
        <p>
          This invitation is for a mobile number. <a href="/signin/phone">Sign in with your mobile</a> to join {preview.businessName}.
        </p>
      )}
    </Screen>
  );
}

function Invalid() {
  return (
    <Screen title="Your invitation">
      <p role="alert">This invitation link has expired, was already used or is incomplete. Ask your admin to send you a new one.</p>
      <ul class="form-links">
        <li>
          <a href="/signin">Sign in</a>
        </li>
      </ul>
    </Screen>
  );
}
