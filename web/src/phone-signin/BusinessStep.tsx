import { useState } from 'preact/hooks';
import type { Me, PhoneSignUpRequest } from '../../../shared/auth-api';
import { api } from '../api/client';
import { signedIn } from '../auth/session';
import { Field } from '../forms/Field';
import { FormProblem } from '../forms/FormProblem';
import { useFocusFirstField } from '../forms/focus';
import { useForm } from '../forms/use-form';

const FIELDS = ['name', 'businessName'] as const;

/** A verified number with no account: start a business with it. */
export function BusinessStep({ mobile, ticket, onRestart }: { mobile: string; ticket: string; onRestart: () => void }) {
  const [name, setName] = useState('');
  const [businessName, setBusinessName] = useState('');
  const form = useForm();
  useFocusFirstField(form.formRef);

  const submit = (e: Event) => {
    e.preventDefault();
    void form.run(async () => {
      const body: PhoneSignUpRequest = { ticket, name, businessName };
      signedIn(await api.post<Me>('/api/auth/phone/signup', body));
    });
  };

  return (
    <form class="form" ref={form.formRef} onSubmit={submit}>
      <p>
        <strong>{mobile}</strong> is not on Softphone yet. Tell us who you are to start a free trial for your business.
      </p>
      <FormProblem problem={form.problem} fields={FIELDS} />
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
      <button type="submit" disabled={form.blocked}>
        {form.busy ? 'Setting up…' : 'Start my free trial'}
      </button>
      <button type="button" class="secondary" disabled={form.busy} onClick={onRestart}>
        Use another number
      </button>
    </form>
  );
}
