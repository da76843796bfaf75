import { registration, registrationProblem } from './line';
import { REGISTRATION_LABELS } from './registration-machine';

/** The phone line's state in words, announced politely to screen readers. */
export function StatusLine() {
  const state = registration.value;
  return (
    <p class={`line-status line-${state}`} role="status" data-state={state}>
      <span class="line-dot" aria-hidden="true" />
      {REGISTRATION_LABELS[state]}
      {state === 'error' && registrationProblem.value ? `: ${registrationProblem.value}` : ''}
    </p>
  );
}
