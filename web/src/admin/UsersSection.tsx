import { useEffect, useState } from 'preact/hooks';
import type { AdminUser, UserListQuery } from '../../../shared/admin-api';
import { api } from '../api/client';
import { Field } from '../forms/Field';
import { formatDay } from '../settings/format';
import { ConfirmStep } from './ConfirmStep';
import { LoadProblem, OutcomeNote } from './LoadProblem';
import { Select } from './Select';
import { useAction } from './use-action';
import { useLoad } from './use-load';

type Show = NonNullable<UserListQuery['status']>;

const SHOW_OPTIONS: { value: Show; label: string }[] = [
  { value: 'current', label: 'Current users' },
  { value: 'active', label: 'Active' },
  { value: 'suspended', label: 'Suspended' },
  { value: 'terminated', label: 'Left (terminated)' },
  { value: 'all', label: 'Everyone' },
];

/** Typing pauses this long before the list is searched again. */
const SEARCH_DELAY_MS = 250;

function usersPath(q: string, show: Show): string {
  const params = new URLSearchParams();
  if (q.trim()) params.set('q', q.trim());
  if (show !== 'current') params.set('status', show);
  const query = params.toString();
  return query ? `/api/admin/users?${query}` : '/api/admin/users';
}

/** `value` once it has stopped changing for `ms`. */
function useSettled(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The business's people: search, role, suspend or reactivate, and terminate (with a confirm step). */
export function UsersSection() {
  const [q, setQ] = useState('');
  const [show, setShow] = useState<Show>('current');
  const query = useSettled(q, SEARCH_DELAY_MS);
  const { state, retry } = useLoad<{ users: AdminUser[] }>(usersPath(query, show));
  const action = useAction();
  const [confirming, setConfirming] = useState<string | null>(null);
  // After "Cancel", the focus goes back to the Terminate button it came from.
  const [refocus, setRefocus] = useState<string | null>(null);
  useEffect(() => {
    if (refocus === null) return;
    document.getElementById(`terminate-${refocus}-button`)?.focus();
    setRefocus(null);
  }, [refocus]);

  const setRole = (u: AdminUser, role: AdminUser['role']) =>
    action.run(
      `role:${u.id}`,
      () => api.patch(`/api/admin/users/${encodeURIComponent(u.id)}`, { role }),
      role === 'admin' ? `${u.name} is now an admin.` : `${u.name} is no longer an admin.`,
    );
  const suspend = (u: AdminUser) =>
    action.run(
      `status:${u.id}`,
      () => api.post(`/api/admin/users/${encodeURIComponent(u.id)}/suspend`),
      `${u.name} is suspended and signed out everywhere.`,
    );
  const reactivate = (u: AdminUser) =>
    action.run(`status:${u.id}`, () => api.post(`/api/admin/users/${encodeURIComponent(u.id)}/reactivate`), `${u.name} can sign in again.`);
  const terminate = async (u: AdminUser) => {
    await action.run(
      `terminate:${u.id}`,
      () => api.post(`/api/admin/users/${encodeURIComponent(u.id)}/terminate`),
      `${u.name} was terminated. Their number is back in the pool.`,
    );
    setConfirming(null);
  };

  return (
    <section class="settings-section" aria-labelledby="admin-users">
      <h2 id="admin-users">Users</h2>
      <div class="admin-filters">
        <Field
          name="q"
          label="Search users"
          type="search"
          autoComplete="off"
          spellcheck={false}
          value={q}
          onValue={setQ}
          hint="Name, email or mobile number."
        />
        <Select name="show" label="Show" value={show} onValue={(v) => setShow(v as Show)} options={SHOW_OPTIONS} />
      </div>
      <OutcomeNote outcome={action.outcome} />
      {state.kind === 'loading' && <p class="muted">Loading users…</p>}
      {state.kind === 'failed' && <LoadProblem what="Users" problem={state.problem} retry={retry} />}
      {state.kind === 'ready' && state.data.users.length === 0 && <p class="muted">Nobody matches.</p>}
      {state.kind === 'ready' && state.data.users.length > 0 && (
        <ul class="admin-list">
          {state.data.users.map((u) => (
            <li key={u.id} class="admin-row">
              <UserSummary user={u} />
              {u.status !== 'terminated' && !u.you && confirming !== u.id && (
                <fieldset class="admin-actions">
                  <legend class="visually-hidden">Actions for {u.name}</legend>
                  <button
                    type="button"
                    class="secondary"
                    disabled={action.busy !== null}
                    onClick={() => void setRole(u, u.role === 'admin' ? 'user' : 'admin')}
                  >
                    {u.role === 'admin' ? 'Remove admin' : 'Make admin'}
                  </button>
                  {u.status === 'active' ? (
                    <button type="button" class="secondary" disabled={action.busy !== null} onClick={() => void suspend(u)}>
                      Suspend
                    </button>
                  ) : (
                    <button type="button" class="secondary" disabled={action.busy !== null} onClick={() => void reactivate(u)}>
                      Reactivate
                    </button>
                  )}
                  <button
                    type="button"
                    class="secondary danger"
                    disabled={action.busy !== null}
                    id={`terminate-${u.id}-button`}
                    onClick={() => setConfirming(u.id)}
                  >
                    Terminate…
                  </button>
                </fieldset>
              )}
              {confirming === u.id && (
                <ConfirmStep
                  id={`terminate-${u.id}`}
                  question={`Terminate ${u.name}?`}
                  confirm={`Yes, terminate ${u.name}`}
                  working="Terminating…"
                  busy={action.busy === `terminate:${u.id}`}
                  onConfirm={() => void terminate(u)}
                  onCancel={() => {
                    setConfirming(null);
                    setRefocus(u.id);
                  }}
                >
                  They are signed out everywhere and cannot sign in again. Their number goes back to the pool, and their extension and seat
                  are freed. This cannot be undone.
                </ConfirmStep>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const STATUS_BADGE: Record<AdminUser['status'], string | null> = { active: null, suspended: 'Suspended', terminated: 'Left' };

function UserSummary({ user }: { user: AdminUser }) {
  const badge = STATUS_BADGE[user.status];
  const contact = [user.email, user.mobile].filter(Boolean).join(' · ');
  return (
    <div class="admin-row-text">
      <strong>{user.name}</strong>
      {user.you && <span class="badge">You</span>}
      <span class="badge">{user.role === 'admin' ? 'Admin' : 'User'}</span>
      {badge && <span class={`badge badge-${user.status}`}>{badge}</span>}
      {contact && <span class="muted admin-row-detail">{contact}</span>}
      <span class="muted admin-row-detail">
        {user.status === 'terminated' && user.terminatedAt !== null
          ? `Left on ${formatDay(user.terminatedAt)}`
          : [user.number ? `Number ${user.number.e164}` : 'No number', user.extension ? `extension ${user.extension}` : null]
              .filter(Boolean)
              .join(', ')}
      </span>
    </div>
  );
}
