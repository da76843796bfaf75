import { useState } from 'preact/hooks';
import type { PasswordChangeRequest } from '../../../shared/auth-api';
import { api } from '../api/client';
import { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_RULE } from '../auth/password-rule';
import { FormProblem } from '../forms/FormProblem';
import { PasswordField } from '../forms/PasswordField';
import { useForm } from '../forms/use-form';

const FIELDS = ['currentPassword', 'newPassword'] as const;

/** A new password; the server signs out every other device when it changes. */
export function PasswordSection({ email, onChanged }: { email: string; onChanged: () => void }) {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [done, setDone] = useState(false);
  const form = useForm();

  const submit = (e: Event) => {
    e.preventDefault();
    setDone(false);
    void form.run(async () => {
      const body: PasswordChangeRequest = { currentPassword, newPassword };
      await api.post('/api/auth/password', body);
      setCurrentPassword('');
      setNewPassword('');
      setDone(true);
      onChanged();
    });
  };

  return (
    <section class="settings-section" aria-labelledby="settings-password">
      <h2 id="settings-password">Change password</h2>
      <form class="form" ref={form.formRef} onSubmit={submit}>
        {/* For password managers: which account this password belongs to. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <FormProblem problem={form.problem} fields={FIELDS} waitSeconds={form.waitSeconds} />
        {done && (
          <p class="form-note" role="status">
            Your password was changed. Your other devices were signed out.
          </p>
        )}
        <PasswordField
          name="currentPassword"
          label="Current password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onValue={setCurrentPassword}
          error={form.error('currentPassword')}
        />
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
          {form.busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
