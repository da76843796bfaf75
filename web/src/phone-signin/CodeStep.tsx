import { useMemo, useState } from 'preact/hooks';
import type { PhoneChallenge, PhoneStartRequest, PhoneVerifyRequest, PhoneVerifyResult } from '../../../shared/auth-api';
import { api } from '../api/client';
import { formatSeconds, useCountdown } from '../forms/countdown';
import { Field } from '../forms/Field';
import { FormProblem } from '../forms/FormProblem';
import { useFocusFirstField } from '../forms/focus';
import { useForm } from '../forms/use-form';

const FIELDS = ['code'] as const;
/** The resend countdown never runs longer than this, whatever the device's clock says. */
const MAX_RESEND_WAIT_MS = 5 * 60_000;
const CODE_INCOMPLETE = { type: 'about:blank', code: 'validation_failed', title: 'The code is incomplete', status: 0 } as const;

interface Props {
  mobile: string;
  challenge: PhoneChallenge;
  onChallenge: (c: PhoneChallenge) => void;
  onVerified: (r: PhoneVerifyResult) => void;
  onChangeNumber: () => void;
}

/** The texted code, with a resend that becomes available when the server allows it. */
export function CodeStep({ mobile, challenge, onChallenge, onVerified, onChangeNumber }: Props) {
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const form = useForm();
  useFocusFirstField(form.formRef);
  const resendAt = useMemo(() => Math.min(challenge.resendAfter, Date.now() + MAX_RESEND_WAIT_MS), [challenge]);
  const resendIn = useCountdown(resendAt);

  const verify = (e: Event) => {
    e.preventDefault();
    if (code.length !== 6) {
      form.setProblem({ ...CODE_INCOMPLETE, errors: [{ field: 'code', code: 'too_short', message: 'Enter the 6-digit code.' }] });
      return;
    }
    void form.run(async () => {
      const body: PhoneVerifyRequest = { challengeId: challenge.challengeId, code };
      onVerified(await api.post<PhoneVerifyResult>('/api/auth/phone/verify', body));
    });
  };
  const resend = () =>
    void form.run(async () => {
      setResent(false);
      const body: PhoneStartRequest = { mobile };
      onChallenge(await api.post<PhoneChallenge>('/api/auth/phone/start', body));
      setCode('');
      setResent(true);
    });

  return (
    <form class="form" ref={form.formRef} onSubmit={verify}>
      <p>
        We texted a 6-digit code to <strong>{mobile}</strong>.
      </p>
      <FormProblem problem={form.problem} fields={FIELDS} waitSeconds={form.waitSeconds} />
      {resent && (
        <p class="form-note" role="status">
          We sent a new code. Use the newest one.
        </p>
      )}
      <Field
        name="code"
        label="6-digit code"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        required
        value={code}
        onValue={(v) => setCode(v.replace(/\D/g, '').slice(0, 6))}
        error={form.error('code')}
      />
      <button type="submit" disabled={form.blocked}>
        {form.busy ? 'Checking…' : 'Continue'}
      </button>
      <div class="form-actions">
        <button type="button" class="secondary" disabled={form.busy || resendIn > 0} onClick={resend}>
          Send a new code
        </button>
        <button type="button" class="secondary" disabled={form.busy} onClick={onChangeNumber}>
          Use another number
        </button>
      </div>
      {resendIn > 0 && <p class="muted">You can ask for a new code in {formatSeconds(resendIn)}.</p>}
    </form>
  );
}
