import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { Screen } from '../app/Screen';
import { Field } from '../forms/Field';
import { FormProblem } from '../forms/FormProblem';
import { useForm } from '../forms/use-form';

const FIELDS = ['email'] as const;

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordScreen() {
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm();

  if (sentTo) {
    return (
      <Screen title="Check your email">
        <p role="status">
          If <strong>{sentTo}</strong> belongs to a Softphone account, we have sent it a link to choose a new password.
        </p>
        <p class="muted">It can take a few minutes to arrive. If it does not, look in your spam folder.</p>
        <ul class="form-links">
          <li>
            <a href="/signin">Back to sign in</a>
          </li>
        </ul>
      </Screen>
    );
  }

  const submit = (e: Event) => {
    e.preventDefault();
    void form.run(async () => {
      await api.post('/api/auth/password-reset', { email });
      setSentTo(email.trim());
    });
  };

  return (
    <Screen title="Forgot your password?">
      <form class="form" ref={form.formRef} onSubmit={submit}>
        <p>Enter the email you sign in with and we will send you a link to choose a new password.</p>
        <FormProblem problem={form.problem} fields={FIELDS} waitSeconds={form.waitSeconds} />
        <Field
          name="email"
          label="Work email"
          type="email"
          autoComplete="email"
          autoCapitalize="none"
          spellcheck={false}
          required
          value={email}
          onValue={setEmail}
          error={form.error('email')}
        />
        <button type="submit" disabled={form.blocked}>
          {form.busy ? 'Sending…' : 'Send the link'}
        </button>
      </form>
      <ul class="form-links">
        <li>
          <a href="/signin">Back to sign in</a>
        </li>
        <li>
          Signed up with your mobile? <a href="/signin/phone">Sign in with a texted code</a>
        </li>
      </ul>
    </Screen>
  );
}
