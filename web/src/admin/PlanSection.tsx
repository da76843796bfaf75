import { useState } from 'preact/hooks';
import type { Plan, PlanInfo, PlanUpdateRequest } from '../../../shared/admin-api';
import { api } from '../api/client';
import { Field } from '../forms/Field';
import { FormProblem } from '../forms/FormProblem';
import { useForm } from '../forms/use-form';
import { formatDay } from '../settings/format';
import { Choice } from './Choice';
import { changed } from './changes';
import { LoadProblem } from './LoadProblem';
import { formatCents, parseCents } from './money';
import { useLoad } from './use-load';

const PLAN_OPTIONS = [
  { value: 'licensed', label: 'Licensed' },
  { value: 'payg', label: 'Pay as you go' },
] as const;

/** The plan, the monthly spending limit, and what was spent this month. */
export function PlanSection() {
  const { state, retry } = useLoad<PlanInfo>('/api/admin/plan');
  // Here, not in the form: the form starts again once the saved plan is read back.
  const [saved, setSaved] = useState(false);
  return (
    <section class="settings-section" aria-labelledby="admin-plan">
      <h2 id="admin-plan">Plan and spending</h2>
      {state.kind === 'loading' && <p class="muted">Loading your plan…</p>}
      {state.kind === 'failed' && <LoadProblem what="Your plan" problem={state.problem} retry={retry} />}
      {/* Keyed by what the server holds, so the form starts again from it after a save. */}
      {saved && (
        <p class="form-note" role="status">
          Plan saved.
        </p>
      )}
      {state.kind === 'ready' && (
        <PlanForm
          key={`${state.data.plan}:${state.data.spendingLimitCents}`}
          info={state.data}
          onSaving={() => setSaved(false)}
          onSaved={() => setSaved(true)}
        />
      )}
    </section>
  );
}

function PlanForm({ info, onSaving, onSaved }: { info: PlanInfo; onSaving: () => void; onSaved: () => void }) {
  const [plan, setPlan] = useState<Plan>(info.plan);
  const [limit, setLimit] = useState(info.spendingLimitCents === null ? '' : formatCents(info.spendingLimitCents));
  const form = useForm();

  const submit = (e: Event) => {
    e.preventDefault();
    onSaving();
    const cents = limit.trim() === '' ? null : parseCents(limit);
    if (cents === undefined) {
      form.setProblem({
        type: 'about:blank',
        code: 'validation_failed',
        title: 'Some fields are not valid',
        status: 422,
        errors: [{ field: 'spendingLimitCents', code: 'invalid_amount', message: 'Enter an amount such as 250 or 250.00.' }],
      });
      return;
    }
    void form.run(async () => {
      const body: PlanUpdateRequest = { plan, spendingLimitCents: cents };
      await api.patch<PlanInfo>('/api/admin/plan', body);
      onSaved();
      changed();
    });
  };

  return (
    <form class="form" ref={form.formRef} onSubmit={submit}>
      <FormProblem problem={form.problem} fields={['plan', 'spendingLimitCents']} />
      <dl class="details">
        <dt>Spent this month</dt>
        <dd>
          {formatCents(info.spentCents)}
          {info.spendingLimitCents !== null && ` of ${formatCents(info.spendingLimitCents)}`} (since {formatDay(info.monthStartsAt)})
        </dd>
        <dt>Calls to phone numbers</dt>
        <dd class={info.allowed ? undefined : 'admin-blocked'}>{info.allowed ? 'Allowed' : 'Stopped: the spending limit is reached'}</dd>
      </dl>
      <Choice
        name="plan"
        legend="Plan"
        options={PLAN_OPTIONS}
        value={plan}
        onValue={setPlan}
        error={form.error('plan')}
        hint="Pay as you go charges each call and needs a spending limit."
      />
      <Field
        name="spendingLimitCents"
        label="Monthly spending limit"
        inputMode="decimal"
        autoComplete="off"
        value={limit}
        onValue={setLimit}
        error={form.error('spendingLimitCents')}
        hint="Calls to phone numbers stop once this month's spend reaches it. Leave empty for no limit (licensed plan only)."
      />
      <button type="submit" disabled={form.blocked}>
        {form.busy ? 'Saving…' : 'Save plan'}
      </button>
    </form>
  );
}
