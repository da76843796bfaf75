import { useState } from 'preact/hooks';
import type { SignUpRequest } from '../../../shared/auth-api';
import { api } from '../api/client';
import { Screen } from '../app/Screen';
import { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_RULE } from '../auth/password-rule';
import { Field } from '../forms/Field';
import { FormProblem } from '../forms/FormProblem';
import { PasswordField } from '../forms/PasswordField';
import { useForm } from '../forms/use-form';
import { CheckEmail } from './CheckEmail';

const FIELDS = ['name', 'businessName', 'email', 'password'] as const;

/** A new business on a desktop: details now, the account once the emailed link is opened. */
export function SignUpScreen() {
  const [name, setName] = useState('');
  const [businessName, setBusinessName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm();

  if (sentTo) return <CheckEmail email={sentTo} onChangeEmail={() => setSentTo(null)} />;

  const submit = (e: Event) => {
    e.preventDefault();
    void form.run(async () => {
      const body: SignUpRequest = { name, businessName, email, password };
      await api.post('/api/auth/signup', body);
      setSentTo(email.trim());
    });
  };

  return (
    <Screen title="Create your business account">
      <form class="form" ref={form.formRef} onSubmit={submit}>
        <FormProblem problem={form.problem} fields={FIELDS} waitSeconds={form.waitSeconds} />
        <Field name="name" label="Your name" autoComplete="name" required value={name} onValue={setName} error={form.error('name')} />
        <Field
          name="businessName"
          label="Business name"
          autoComplete="organization"
          required
          value={businessName}
          onValue={setBusinessName}
          error={form.error('businessName')}
        />
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
        <PasswordField
          name="password"
          label="Password"
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
          {form.busy ? 'Sending…' : 'Create account'}
        </button>
      </form>
      <ul class="form-links">
        <li>
          Already have an account? <a href="/signin">Sign in</a>
        </li>
        <li>
          On your phone? <a href="/signin/phone">Start with your mobile number</a>
        </li>
      </ul>
    </Screen>
  );
}
