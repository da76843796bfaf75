import { useState } from 'preact/hooks';
import type { InvitationInfo } from '../../../shared/auth-api';
import type { ProblemBody } from '../../../shared/problem';
import { api, toProblem } from '../api/client';
import { changed } from './changes';
import { LoadProblem } from './LoadProblem';
import { useLoad } from './use-load';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A moment relative to now, as people say it: "in 7 days", "tomorrow", "3 hours ago". */
export function inWords(ms: number, now = Date.now()): string {
  const diff = ms - now;
  const words = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (Math.abs(diff) >= DAY) return words.format(Math.round(diff / DAY), 'day');
  if (Math.abs(diff) >= HOUR) return words.format(Math.round(diff / HOUR), 'hour');
  return words.format(Math.round(diff / MINUTE), 'minute');
}

/** Who an invitation is for: the address it went to. */
function recipient(invitation: InvitationInfo): string {
  return invitation.email ?? invitation.mobile ?? 'unknown';
}

/** Its status in words, with when it expires (or did) while that matters. */
function statusText(invitation: InvitationInfo): string {
  switch (invitation.status) {
    case 'pending':
      return `Pending, expires ${inWords(invitation.expiresAt)}`;
    case 'expired':
      return `Expired ${inWords(invitation.expiresAt)}`;
    case 'accepted':
      return 'Accepted';
    case 'revoked':
      return 'Revoked';
  }
}

/** The invitations sent, newest first; a pending one can be revoked. Listed again after any change on the page (a new invitation). */
export function InvitationsSection() {
  const { state, retry } = useLoad<{ invitations: InvitationInfo[] }>('/api/admin/invitations');
  const [revoking, setRevoking] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemBody | null>(null);

  async function revoke(invitation: InvitationInfo) {
    setRevoking(invitation.id);
    setProblem(null);
    try {
      await api.del(`/api/admin/invitations/${encodeURIComponent(invitation.id)}`);
    } catch (e) {
      // A 404: accepted or revoked meanwhile; the new list shows which.
      setProblem(toProblem(e));
    } finally {
      setRevoking(null);
      // Lists this again, and the change log with its new entry.
      changed();
    }
  }

  return (
    <section class="settings-section" aria-labelledby="admin-invitations">
      <h2 id="admin-invitations">Invitations</h2>
      {state.kind === 'loading' && <p class="muted">Loading invitations…</p>}
      {state.kind === 'failed' && <LoadProblem what="Invitations" problem={state.problem} retry={retry} />}
      {problem && (
        <div class="form-problem" role="alert">
          <p>{problem.detail ?? problem.title}</p>
        </div>
      )}
      {state.kind === 'ready' && state.data.invitations.length === 0 && <p class="muted">No invitations yet.</p>}
      {state.kind === 'ready' && state.data.invitations.length > 0 && (
        <ul class="invitations">
          {state.data.invitations.map((inv) => (
            <li key={inv.id} class="invitation">
              <div class="invitation-text">
                <strong>{recipient(inv)}</strong>
                <span class="badge">{inv.role === 'admin' ? 'Admin' : 'User'}</span>
                {inv.name && <span>{inv.name}</span>}
                <span class={`muted invitation-status invitation-${inv.status}`}>{statusText(inv)}</span>
              </div>
              {inv.status === 'pending' && (
                <button
                  type="button"
                  class="secondary"
                  disabled={revoking !== null}
                  aria-label={`Revoke invitation for ${recipient(inv)}`}
                  onClick={() => void revoke(inv)}
                >
                  {revoking === inv.id ? 'Revoking…' : 'Revoke'}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
