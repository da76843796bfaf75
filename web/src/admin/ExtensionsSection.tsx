import { useState } from 'preact/hooks';
import type { AdminUser } from '../../../shared/admin-api';
import { EXTENSION_MAX_DIGITS, EXTENSION_MIN_DIGITS } from '../../../shared/admin-limits';
import { api } from '../api/client';
import { Field } from '../forms/Field';
import { FormProblem } from '../forms/FormProblem';
import { useForm } from '../forms/use-form';
import { changed } from './changes';
import { LoadProblem, OutcomeNote } from './LoadProblem';
import { Select } from './Select';
import { useAction } from './use-action';
import { useLoad } from './use-load';

/** Extensions: short numbers colleagues dial to reach each other, unique in the business. */
export function ExtensionsSection() {
  const { state, retry } = useLoad<{ users: AdminUser[] }>('/api/admin/users');
  const clear = useAction();
  const users = state.kind === 'ready' ? state.data.users : [];
  const withExtension = users.filter((u) => u.extension !== null).sort((a, b) => (a.extension ?? '').localeCompare(b.extension ?? ''));

  return (
    <section class="settings-section" aria-labelledby="admin-extensions">
      <h2 id="admin-extensions">Extensions</h2>
      {state.kind === 'loading' && <p class="muted">Loading extensions…</p>}
      {state.kind === 'failed' && <LoadProblem what="Extensions" problem={state.problem} retry={retry} />}
      <OutcomeNote outcome={clear.outcome} />
      {state.kind === 'ready' && withExtension.length === 0 && <p class="muted">Nobody has an extension yet.</p>}
      {withExtension.length > 0 && (
        <ul class="admin-list">
          {withExtension.map((u) => (
            <li key={u.id} class="admin-row">
              <div class="admin-row-text">
                <strong>{u.extension}</strong>
                <span>{u.name}</span>
              </div>
              <button
                type="button"
                class="secondary"
                disabled={clear.busy !== null}
                aria-label={`Clear extension ${u.extension} of ${u.name}`}
                onClick={() =>
                  void clear.run(
                    `clear:${u.id}`,
                    () => api.del(`/api/admin/users/${encodeURIComponent(u.id)}/extension`),
                    `${u.name} no longer has an extension.`,
                  )
                }
              >
                Clear
              </button>
            </li>
          ))}
        </ul>
      )}
      {users.length > 0 && <ExtensionForm users={users} />}
    </section>
  );
}

function ExtensionForm({ users }: { users: AdminUser[] }) {
  const [userId, setUserId] = useState('');
  const user = users.find((u) => u.id === userId) ?? users[0];
  // The field shows the chosen user's extension until the admin types.
  const [typed, setTyped] = useState<{ userId: string; value: string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const form = useForm();
  if (!user) return null;
  const value = typed?.userId === user.id ? typed.value : (user.extension ?? '');

  const submit = (e: Event) => {
    e.preventDefault();
    setSaved(null);
    void form.run(async () => {
      const updated = await api.patch<AdminUser>(`/api/admin/users/${encodeURIComponent(user.id)}/extension`, { extension: value });
      setTyped(null);
      setSaved(`${updated.name} now has extension ${updated.extension}.`);
      changed();
    });
  };
  return (
    <form class="form admin-form" ref={form.formRef} onSubmit={submit} aria-labelledby="admin-extension-set">
      <h3 id="admin-extension-set">Set an extension</h3>
      <FormProblem problem={form.problem} fields={['extension']} />
      {saved && (
        <p class="form-note" role="status">
          {saved}
        </p>
      )}
      <Select
        name="extension-user"
        label="User"
        value={user.id}
        onValue={setUserId}
        options={users.map((u) => ({ value: u.id, label: u.extension ? `${u.name} (${u.extension})` : u.name }))}
      />
      <Field
        name="extension"
        label="Extension"
        inputMode="numeric"
        autoComplete="off"
        maxLength={EXTENSION_MAX_DIGITS}
        required
        value={value}
        onValue={(v) => setTyped({ userId: user.id, value: v })}
        error={form.error('extension')}
        hint={`${EXTENSION_MIN_DIGITS} to ${EXTENSION_MAX_DIGITS} digits, e.g. 201. Emergency numbers such as 112 or 999 cannot be extensions.`}
      />
      <button type="submit" disabled={form.blocked}>
        {form.busy ? 'Saving…' : 'Save extension'}
      </button>
    </form>
  );
}
