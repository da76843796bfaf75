import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { PhoneChallenge } from '../../../shared/auth-api';
import { signInUrl } from '../app/routes';
import { Screen } from '../app/Screen';
import { signedIn } from '../auth/session';
import { BusinessStep } from './BusinessStep';
import { CodeStep } from './CodeStep';
import { MobileStep } from './MobileStep';

type Step =
  | { kind: 'mobile' }
  | { kind: 'code'; mobile: string; challenge: PhoneChallenge }
  | { kind: 'business'; mobile: string; ticket: string };

const TITLES: Record<Step['kind'], string> = {
  mobile: 'Sign in with your mobile',
  code: 'Enter the code',
  business: 'Set up your business',
};

/**
 * Mobile number → a texted 6-digit code → signed in; a number with no
 * account yet may start a business (name + business name) instead.
 */
export function PhoneSignInScreen() {
  const { query } = useLocation();
  const [step, setStep] = useState<Step>({ kind: 'mobile' });
  const [mobile, setMobile] = useState('');

  return (
    <Screen title={TITLES[step.kind]}>
      {step.kind === 'mobile' && (
        <>
          <MobileStep mobile={mobile} onMobile={setMobile} onSent={(challenge) => setStep({ kind: 'code', mobile, challenge })} />
          <ul class="form-links">
            <li>
              <a href={signInUrl(query.next ?? '/')}>Sign in with email and password instead</a>
            </li>
          </ul>
        </>
      )}
      {step.kind === 'code' && (
        <CodeStep
          mobile={step.mobile}
          challenge={step.challenge}
          onChallenge={(challenge) => setStep({ ...step, challenge })}
          onChangeNumber={() => setStep({ kind: 'mobile' })}
          onVerified={(result) =>
            result.status === 'signed_in'
              ? signedIn(result.me)
              : setStep({ kind: 'business', mobile: result.mobile, ticket: result.ticket })
          }
        />
      )}
      {step.kind === 'business' && <BusinessStep mobile={step.mobile} ticket={step.ticket} onRestart={() => setStep({ kind: 'mobile' })} />}
    </Screen>
  );
}
