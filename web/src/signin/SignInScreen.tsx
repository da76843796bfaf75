import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Me, SignInRequest } from '../../../shared/auth-api';
import { api } from '../api/client';
import { signInUrl } from '../app/routes';
import { Screen } from '../app/Screen';
import { signedIn } from '../auth/session';
import { Field } from '../forms/Field';
import { FormProblem } from '../forms/FormProblem';
import { PasswordField } from '../forms/PasswordField';
import { useForm } from '../forms/use-form';

const FIELDS = ['email', 'password'] as const;

/** Email and password. Once signed in, the guard takes the user where they were going. */
export function SignInScreen() {
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useForm();

  const submit = (e: Event) => {
    e.preventDefault();
    void form.run(async () => {
      const body: SignInRequest = { email, password };
      signedIn(await api.post<Me>('/api/auth/signin', body));
    });
  };

  return (
    <Screen title="Sign in">
      <form class="form" ref={form.formRef} onSubmit={submit}>
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
        <PasswordField
          name="password"
          label="Password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
          error={form.error('password')}
        />
        <button type="submit" disabled={form.blocked}>
          {form.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <ul class="form-links">
        <li>
          <a href="/forgot-password">Forgot your password?</a>
        </li>
        <li>
          <a href={signInUrl(query.next ?? '/', '/signin/phone')}>Sign in with your mobile number</a>
        </li>
        <li>
          New to Softphone? <a href="/signup">Create a business account</a>
        </li>
      </ul>
    </Screen>
  );
}
