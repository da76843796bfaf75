import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Me, PasswordResetComplete } from '../../../shared/auth-api';
import { api } from '../api/client';
import { Screen } from '../app/Screen';
import { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_RULE } from '../auth/password-rule';
import { signedIn } from '../auth/session';
import { FormProblem } from '../forms/FormProblem';
import { PasswordField } from '../forms/PasswordField';
import { useForm } from '../forms/use-form';

const FIELDS = ['newPassword'] as const;

/** The emailed reset link: a new password, then straight into the app. */
export function ResetPasswordScreen() {
  const { query, route } = useLocation();
  const token = query.token;
  const [newPassword, setNewPassword] = useState('');
  const form = useForm();

  if (!token) {
    return (
      <Screen title="Choose a new password">
        <p role="alert">
          This link is incomplete. Open the link from the email again, or <a href="/forgot-password">ask for a new one</a>.
        </p>
      </Screen>
    );
  }

  const submit = (e: Event) => {
    e.preventDefault();
    void form.run(async () => {
      const body: PasswordResetComplete = { token, newPassword };
      signedIn(await api.post<Me>('/api/auth/password-reset/complete', body));
      route('/', true);
    });
  };

  return (
    <Screen title="Choose a new password">
      <form class="form" ref={form.formRef} onSubmit={submit}>
        <FormProblem problem={form.problem} fields={FIELDS} waitSeconds={form.waitSeconds} />
        <PasswordField
          name="newPassword"
          label="New password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          maxLength={PASSWORD_MAX}
          value={newPassword}
          onValue={setNewPassword}
          error={form.error('newPassword')}
          hint={PASSWORD_RULE}
        />
        <button type="submit" disabled={form.blocked}>
          {form.busy ? 'Saving…' : 'Save and sign in'}
        </button>
      </form>
      <ul class="form-links">
        <li>
          Link expired? <a href="/forgot-password">Ask for a new one</a>
        </li>
      </ul>
    </Screen>
  );
}
