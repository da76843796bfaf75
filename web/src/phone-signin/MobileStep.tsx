import type { PhoneChallenge, PhoneStartRequest } from '../../../shared/auth-api';
import { api } from '../api/client';
import { Field } from '../forms/Field';
import { FormProblem } from '../forms/FormProblem';
import { useForm } from '../forms/use-form';

const FIELDS = ['mobile', 'country'] as const;

/** The number to text a code to. */
export function MobileStep({
  mobile,
  onMobile,
  onSent,
}: {
  mobile: string;
  onMobile: (v: string) => void;
  onSent: (c: PhoneChallenge) => void;
}) {
  const form = useForm();
  const submit = (e: Event) => {
    e.preventDefault();
    void form.run(async () => {
      const body: PhoneStartRequest = { mobile };
      onSent(await api.post<PhoneChallenge>('/api/auth/phone/start', body));
    });
  };
  return (
    <form class="form" ref={form.formRef} onSubmit={submit}>
      <FormProblem problem={form.problem} fields={FIELDS} waitSeconds={form.waitSeconds} />
      <Field
        name="mobile"
        label="Mobile number"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        required
        value={mobile}
        onValue={onMobile}
        error={form.error('mobile') ?? form.error('country')}
        hint="We will text you a 6-digit code. For a number from another country, start with + and its country code."
      />
      <button type="submit" disabled={form.blocked}>
        {form.busy ? 'Sending…' : 'Text me a code'}
      </button>
    </form>
  );
}
