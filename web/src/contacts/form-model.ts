/** The contact form's fields as edited, and their validation (the same schema and number rules as the server). */
import { type ContactFieldsInput, contactFields } from '../../../shared/contacts-api';
import type { EmailLabel, PhoneLabel } from '../../../shared/contacts-limits';
import { normaliseNumber } from '../../../shared/contacts-numbers';
import type { FieldError } from '../../../shared/problem';
import type { LocalContact } from '../storage/local-contact';

/** A repeated row (number or email), keyed so that removing one keeps the others' focus and state. */
export interface Row<L> {
  key: number;
  label: L;
  value: string;
}

export interface FormFields {
  firstName: string;
  lastName: string;
  company: string;
  favourite: boolean;
  numbers: Array<Row<PhoneLabel>>;
  emails: Array<Row<EmailLabel>>;
}

let nextKey = 0;
/** A fresh row key. */
export const rowKey = () => ++nextKey;

/** An empty form: one number row to fill in. */
export function emptyForm(): FormFields {
  return {
    firstName: '',
    lastName: '',
    company: '',
    favourite: false,
    numbers: [{ key: rowKey(), label: 'mobile', value: '' }],
    emails: [],
  };
}

/** The form for an existing contact. */
export function formFor(c: LocalContact): FormFields {
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    company: c.company,
    favourite: c.favourite,
    numbers: c.numbers.map((n) => ({ key: rowKey(), label: n.label, value: n.value })),
    emails: c.emails.map((e) => ({ key: rowKey(), label: e.label, value: e.value })),
  };
}

/** The fields to save: empty rows left out. */
export function toInput(f: FormFields): ContactFieldsInput {
  return {
    firstName: f.firstName,
    lastName: f.lastName,
    company: f.company,
    favourite: f.favourite,
    numbers: f.numbers.filter((n) => n.value.trim()).map((n) => ({ label: n.label, value: n.value })),
    emails: f.emails.filter((e) => e.value.trim()).map((e) => ({ label: e.label, value: e.value })),
  };
}

/**
 * Every problem with the form, by field (`numbers.1.value`). The row
 * indexes are those of the rows shown, so empty rows in between count.
 */
export function validate(f: FormFields, country: string): FieldError[] {
  const input = toInput(f);
  // Indexes in the saved input → indexes of the rows on screen.
  const numberRows = f.numbers.flatMap((n, i) => (n.value.trim() ? [i] : []));
  const emailRows = f.emails.flatMap((e, i) => (e.value.trim() ? [i] : []));
  const errors: FieldError[] = [];
  const result = contactFields.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [head, index, ...rest] = issue.path.map(String);
      let field = issue.path.map(String).join('.');
      if (head === 'numbers' && index !== undefined) field = ['numbers', numberRows[Number(index)] ?? index, ...rest].join('.');
      if (head === 'emails' && index !== undefined) field = ['emails', emailRows[Number(index)] ?? index, ...rest].join('.');
      // "Add a phone number" belongs next to the first number.
      if (field === 'numbers' && input.numbers.length === 0) field = 'numbers.0.value';
      errors.push({ field, code: issue.code, message: issue.message });
    }
  }
  input.numbers.forEach((n, i) => {
    const field = `numbers.${numberRows[i]}.value`;
    if (!errors.some((e) => e.field === field) && !normaliseNumber(n.value, country)) {
      errors.push({
        field,
        code: 'invalid_phone_number',
        message: 'This is not a phone number we can call. Check it, and add the country code if it is from abroad (e.g. +1 202 555 0123).',
      });
    }
  });
  return errors;
}
