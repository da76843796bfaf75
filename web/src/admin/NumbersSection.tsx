import { useState } from 'preact/hooks';
import type { AdminNumber, AdminUser } from '../../../shared/admin-api';
import { api } from '../api/client';
import { LoadProblem, OutcomeNote } from './LoadProblem';
import { Select } from './Select';
import { useAction } from './use-action';
import { useLoad } from './use-load';

/** How a number reads in a list or an option: "+442079460100 (main)". */
export function numberLabel(n: { e164: string; kind: 'pool' | 'main' }): string {
  return n.kind === 'main' ? `${n.e164} (main)` : n.e164;
}

const NO_OVERRIDE = '';

/**
 * The business's numbers: who holds each, assigning a free one to a user
 * (moving them off theirs), unassigning, and the override that puts a
 * user's calls on the main number (or another) instead.
 */
export function NumbersSection() {
  const numbers = useLoad<{ numbers: AdminNumber[] }>('/api/admin/numbers');
  const users = useLoad<{ users: AdminUser[] }>('/api/admin/users');
  const action = useAction();

  const unassign = (n: AdminNumber) =>
    action.run(
      `unassign:${n.id}`,
      () => api.del(`/api/admin/numbers/${encodeURIComponent(n.id)}/assignment`),
      `${n.e164} is back in the pool.`,
    );

  return (
    <section class="settings-section" aria-labelledby="admin-numbers">
      <h2 id="admin-numbers">Numbers</h2>
      <OutcomeNote outcome={action.outcome} />
      {numbers.state.kind === 'loading' && <p class="muted">Loading numbers…</p>}
      {numbers.state.kind === 'failed' && <LoadProblem what="Numbers" problem={numbers.state.problem} retry={numbers.retry} />}
      {users.state.kind === 'failed' && <LoadProblem what="Users" problem={users.state.problem} retry={users.retry} />}
      {numbers.state.kind === 'ready' && numbers.state.data.numbers.length === 0 && (
        <p class="muted">Your business has no numbers yet. Contact us to add some.</p>
      )}
      {numbers.state.kind === 'ready' && numbers.state.data.numbers.length > 0 && (
        <ul class="admin-list">
          {numbers.state.data.numbers.map((n) => (
            <li key={n.id} class="admin-row">
              <div class="admin-row-text">
                <strong>{n.e164}</strong>
                {n.kind === 'main' && <span class="badge">Main</span>}
                <span class="muted admin-row-detail">{n.assignedTo ? `${n.assignedTo.name}'s number` : 'Free'}</span>
                {n.overrideFor.length > 0 && (
                  <span class="muted admin-row-detail">Also used by {n.overrideFor.map((u) => u.name).join(', ')} (override)</span>
                )}
              </div>
              {n.assignedTo && (
                <button
                  type="button"
                  class="secondary"
                  disabled={action.busy !== null}
                  aria-label={`Unassign ${n.e164} from ${n.assignedTo.name}`}
                  onClick={() => void unassign(n)}
                >
                  Unassign
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {numbers.state.kind === 'ready' && users.state.kind === 'ready' && (
        <>
          <AssignForm numbers={numbers.state.data.numbers} users={users.state.data.users} action={action} />
          <OverrideForm numbers={numbers.state.data.numbers} users={users.state.data.users} action={action} />
        </>
      )}
    </section>
  );
}

type Action = ReturnType<typeof useAction>;

function AssignForm({ numbers, users, action }: { numbers: AdminNumber[]; users: AdminUser[]; action: Action }) {
  const free = numbers.filter((n) => !n.assignedTo);
  const [numberId, setNumberId] = useState('');
  const [userId, setUserId] = useState('');
  const number = free.find((n) => n.id === numberId) ?? free[0];
  const user = users.find((u) => u.id === userId) ?? users[0];
  if (free.length === 0 || !number || !user) return <p class="muted">No number is free to assign.</p>;

  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(
      'assign',
      () => api.post(`/api/admin/numbers/${encodeURIComponent(number.id)}/assignment`, { userId: user.id }),
      `${number.e164} is now ${user.name}'s number.`,
    );
  };
  return (
    <form class="form admin-form" onSubmit={submit} aria-labelledby="admin-assign">
      <h3 id="admin-assign">Assign a number</h3>
      <Select
        name="number"
        label="Free number"
        value={number.id}
        onValue={setNumberId}
        options={free.map((n) => ({ value: n.id, label: numberLabel(n) }))}
      />
      <Select
        name="user"
        label="To"
        value={user.id}
        onValue={setUserId}
        options={users.map((u) => ({ value: u.id, label: u.number ? `${u.name} (now ${u.number.e164})` : u.name }))}
        hint="Someone who has a number moves to this one; theirs goes back to the pool."
      />
      <button type="submit" disabled={action.busy !== null}>
        {action.busy === 'assign' ? 'Assigning…' : 'Assign number'}
      </button>
    </form>
  );
}

function OverrideForm({ numbers, users, action }: { numbers: AdminNumber[]; users: AdminUser[]; action: Action }) {
  const [userId, setUserId] = useState('');
  const user = users.find((u) => u.id === userId) ?? users[0];
  // What the number list shows follows the chosen user until the admin picks another.
  const [picked, setPicked] = useState<{ userId: string; numberId: string } | null>(null);
  if (!user) return null;
  const numberId = picked?.userId === user.id ? picked.numberId : (user.override?.id ?? NO_OVERRIDE);

  const submit = (e: Event) => {
    e.preventDefault();
    const target = numbers.find((n) => n.id === numberId);
    const path = `/api/admin/users/${encodeURIComponent(user.id)}/override`;
    void action.run(
      'override',
      () => (target ? api.patch(path, { numberId: target.id }) : api.del(path)),
      target ? `${user.name}'s calls now go out and come in on ${target.e164}.` : `${user.name}'s calls use their own number again.`,
    );
  };
  return (
    <form class="form admin-form" onSubmit={submit} aria-labelledby="admin-override">
      <h3 id="admin-override">Override a user's number</h3>
      <Select
        name="override-user"
        label="User"
        value={user.id}
        onValue={setUserId}
        options={users.map((u) => ({ value: u.id, label: u.name }))}
      />
      <Select
        name="override-number"
        label="Calls go out and come in on"
        value={numberId}
        onValue={(v) => setPicked({ userId: user.id, numberId: v })}
        options={[
          { value: NO_OVERRIDE, label: user.number ? `Their own number (${user.number.e164})` : 'Their own number (none yet)' },
          ...numbers.map((n) => ({ value: n.id, label: numberLabel(n) })),
        ]}
        hint="Use the main number so that customers always see and call one number."
      />
      <button type="submit" disabled={action.busy !== null}>
        {action.busy === 'override' ? 'Saving…' : 'Save override'}
      </button>
    </form>
  );
}
