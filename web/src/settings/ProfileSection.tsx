import { useState } from 'preact/hooks';
import type { Me, ProfileUpdateRequest } from '../../../shared/auth-api';
import { api } from '../api/client';
import { signedIn } from '../auth/session';
import { Field } from '../forms/Field';
import { FormProblem } from '../forms/FormProblem';
import { useForm } from '../forms/use-form';

const FIELDS = ['name'] as const;

/** The user's name (editable), email and mobile (set by sign-up or the admin). */
export function ProfileSection({ me }: { me: Me }) {
  const [name, setName] = useState(me.user.name);
  const [saved, setSaved] = useState(false);
  const form = useForm();

  const submit = (e: Event) => {
    e.preventDefault();
    setSaved(false);
    void form.run(async () => {
      const body: ProfileUpdateRequest = { name };
      signedIn(await api.patch<Me>('/api/me', body));
      setSaved(true);
    });
  };

  return (
    <section class="settings-section" aria-labelledby="settings-profile">
      <h2 id="settings-profile">Profile</h2>
      <form class="form" ref={form.formRef} onSubmit={submit}>
        <FormProblem problem={form.problem} fields={FIELDS} />
        <Field name="name" label="Your name" autoComplete="name" required value={name} onValue={setName} error={form.error('name')} />
        <dl class="details">
          <dt>Email</dt>
          <dd>{me.user.email ?? 'None'}</dd>
          <dt>Mobile</dt>
          <dd>{me.user.mobile ?? 'None'}</dd>
        </dl>
        <div class="form-actions">
          <button type="submit" disabled={form.blocked || name.trim() === me.user.name}>
            {form.busy ? 'Saving…' : 'Save'}
          </button>
          {saved && (
            <span class="form-note" role="status">
              Saved.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
