import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { InvitationAcceptRequest, InvitationPreview, Me } from '../../../shared/auth-api';
import { api } from '../api/client';
import { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_RULE } from '../auth/password-rule';
import { signedIn } from '../auth/session';
import { Field } from '../forms/Field';
import { FormProblem } from '../forms/FormProblem';
import { PasswordField } from '../forms/PasswordField';
import { useForm } from '../forms/use-form';

const FIELDS = ['name', 'password'] as const;

/** Name and password for the invited email; accepting signs the new user in. */
export function AcceptForm({ token, preview, email }: { token: string; preview: InvitationPreview; email: string }) {
  const { route } = useLocation();
  const [name, setName] = useState(preview.name ?? '');
  const [password, setPassword] = useState('');
  const form = useForm();

  const submit = (e: Event) => {
    e.preventDefault();
    void form.run(async () => {
      const body: InvitationAcceptRequest = { token, name, password };
      signedIn(await api.post<Me>('/api/invitations/accept', body));
      route('/', true);
    });
  };

  return (
    <form class="form" ref={form.formRef} onSubmit={submit}>
      <p>
        You have been invited to make and take calls for <strong>{preview.businessName}</strong>. The invitation expires on{' '}
        {new Date(preview.expiresAt).toLocaleDateString(undefined, { dateStyle: 'long' })}.
      </p>
      <FormProblem problem={form.problem} fields={FIELDS} waitSeconds={form.waitSeconds} />
      <Field
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        readOnly
        value={email}
        onValue={() => {}}
        hint="You will sign in with this address."
      />
      <Field name="name" label="Your name" autoComplete="name" required value={name} onValue={setName} error={form.error('name')} />
      <PasswordField
        name="password"
        label="Choose a password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        maxLength={PASSWORD_MAX}
        value={password}
        onValue={setPassword}
        error={form.error('password')}
        hint={PASSWORD_RULE}
      />
      <button type="submit" disabled={form.blocked}>
        {form.busy ? 'Joining…' : `Join ${preview.businessName}`}
      </button>
    </form>
  );
}
