import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { EMAIL_LABELS, PHONE_LABELS } from '../../../shared/contacts-limits';
import { ApiError } from '../api/client';
import { Screen } from '../app/Screen';
import { me } from '../auth/session';
import { Field } from '../forms/Field';
import { FormProblem } from '../forms/FormProblem';
import { useForm } from '../forms/use-form';
import { addContact, editContact } from '../storage/contacts-edits';
import { contactHref, LABEL_TEXT } from './contact-links';
import { emptyForm, type FormFields, formFor, type Row, rowKey, toInput, validate } from './form-model';
import { useContacts } from './use-contacts';

/** Add a contact (`/contacts/new`) or edit one (`/contacts/:id/edit`): saved on the device at once, sent when online. */
export function ContactFormScreen() {
  const { params } = useRoute();
  const id = params.id;
  const state = useContacts();
  const existing = id && state.status === 'ready' ? state.contacts.get(id) : undefined;
  const [fields, setFields] = useState<FormFields | null>(id ? null : emptyForm());
  const form = useForm();
  const { route } = useLocation();

  // An edit starts from the contact as this device has it, once it is loaded.
  useEffect(() => {
    if (!fields && existing) setFields(formFor(existing));
  }, [existing, fields]);

  const title = id ? 'Edit contact' : 'New contact';
  if (!fields) {
    return (
      <Screen title={title}>
        {state.status === 'ready' ? (
          <p>
            This contact is not on this device. <a href="/contacts">Back to contacts</a>
          </p>
        ) : (
          <p class="loading" role="status">
            Loading…
          </p>
        )}
      </Screen>
    );
  }

  const set = (patch: Partial<FormFields>) => setFields({ ...fields, ...patch });
  const submit = (e: Event) => {
    e.preventDefault();
    void form.run(async () => {
      const errors = validate(fields, me.value?.business.country ?? 'GB');
      if (errors.length > 0) {
        throw new ApiError({
          type: 'about:blank',
          code: 'validation_failed',
          title: 'Some fields are not valid',
          status: 422,
          detail: 'Check the fields marked below.',
          errors,
        });
      }
      const saved = id ? await editContact(id, toInput(fields)) : await addContact(toInput(fields));
      route(contactHref(saved.id), true);
    });
  };
  const shownFields = [
    'firstName',
    'lastName',
    'company',
    ...fields.numbers.map((_, i) => `numbers.${i}.value`),
    ...fields.emails.map((_, i) => `emails.${i}.value`),
  ];

  return (
    <Screen title={title}>
      <form class="form contact-form" ref={form.formRef} onSubmit={submit} noValidate>
        <FormProblem problem={form.problem} fields={shownFields} />
        <Field
          name="firstName"
          label="First name"
          autoComplete="off"
          value={fields.firstName}
          onValue={(v) => set({ firstName: v })}
          error={form.error('firstName')}
        />
        <Field
          name="lastName"
          label="Last name"
          autoComplete="off"
          value={fields.lastName}
          onValue={(v) => set({ lastName: v })}
          error={form.error('lastName')}
        />
        <Field
          name="company"
          label="Company"
          autoComplete="off"
          value={fields.company}
          onValue={(v) => set({ company: v })}
          error={form.error('company')}
        />
        <fieldset class="repeat">
          <legend>Phone numbers</legend>
          {fields.numbers.map((row, i) => (
            <RepeatRow
              key={row.key}
              kind="number"
              index={i}
              row={row}
              labels={PHONE_LABELS}
              error={form.error(`numbers.${i}.value`) ?? form.error(`numbers.${i}.label`)}
              onChange={(next) => set({ numbers: fields.numbers.map((r) => (r.key === row.key ? next : r)) })}
              onRemove={fields.numbers.length > 1 ? () => set({ numbers: fields.numbers.filter((r) => r.key !== row.key) }) : undefined}
            />
          ))}
          <button
            type="button"
            class="secondary"
            onClick={() => set({ numbers: [...fields.numbers, { key: rowKey(), label: 'mobile', value: '' }] })}
          >
            Add another number
          </button>
        </fieldset>
        <fieldset class="repeat">
          <legend>Email addresses</legend>
          {fields.emails.map((row, i) => (
            <RepeatRow
              key={row.key}
              kind="email"
              index={i}
              row={row}
              labels={EMAIL_LABELS}
              error={form.error(`emails.${i}.value`)}
              onChange={(next) => set({ emails: fields.emails.map((r) => (r.key === row.key ? next : r)) })}
              onRemove={() => set({ emails: fields.emails.filter((r) => r.key !== row.key) })}
            />
          ))}
          <button
            type="button"
            class="secondary"
            onClick={() => set({ emails: [...fields.emails, { key: rowKey(), label: 'work', value: '' }] })}
          >
            Add an email address
          </button>
        </fieldset>
        <label class="checkbox">
          <input type="checkbox" checked={fields.favourite} onChange={(e) => set({ favourite: e.currentTarget.checked })} /> Favourite
        </label>
        <div class="form-actions">
          <button type="submit" disabled={form.blocked}>
            Save
          </button>
          <a class="button secondary" href={id ? contactHref(id) : '/contacts'}>
            Cancel
          </a>
        </div>
      </form>
    </Screen>
  );
}

/** One number or email: its label (a choice) and its value, with a remove button. */
function RepeatRow<L extends string>(props: {
  kind: 'number' | 'email';
  index: number;
  row: Row<L>;
  labels: readonly L[];
  error: string | undefined;
  onChange: (row: Row<L>) => void;
  onRemove: (() => void) | undefined;
}) {
  const { kind, index, row, labels, error, onChange, onRemove } = props;
  const what = kind === 'number' ? 'Number' : 'Email';
  return (
    <div class="repeat-row">
      <label class="visually-hidden" for={`${kind}-label-${row.key}`}>
        Label for {what.toLowerCase()} {index + 1}
      </label>
      <select id={`${kind}-label-${row.key}`} value={row.label} onChange={(e) => onChange({ ...row, label: e.currentTarget.value as L })}>
        {labels.map((l) => (
          <option key={l} value={l}>
            {LABEL_TEXT[l] ?? l}
          </option>
        ))}
      </select>
      <Field
        name={`${kind}s.${index}.value`}
        label={`${what} ${index + 1}`}
        type={kind === 'number' ? 'tel' : 'email'}
        inputMode={kind === 'number' ? 'tel' : 'email'}
        autoComplete="off"
        value={row.value}
        onValue={(value) => onChange({ ...row, value })}
        error={error}
        after={
          onRemove && (
            <button
              type="button"
              class="secondary field-toggle"
              aria-label={`Remove ${what.toLowerCase()} ${index + 1}`}
              onClick={onRemove}
            >
              Remove
            </button>
          )
        }
      />
    </div>
  );
}
