import type { ContactFields } from '../../shared/contacts-api';
import type { EmailLabel, PhoneLabel } from '../../shared/contacts-limits';
import { digitsOf, nameTokens, sortKey } from '../../shared/contacts-names';
import { normaliseNumber } from '../../shared/contacts-numbers';
import type { FieldError } from '../../shared/problem';
import { problems } from '../platform/problem';

/** A number ready to store: as typed, in E.164, and the typed digits for fragment search. */
export interface StoredNumber {
  label: PhoneLabel;
  typed: string;
  e164: string;
  digits: string;
}

/** A contact's fields ready to store, with the derived columns. */
export interface NormalisedContact {
  firstName: string;
  lastName: string;
  company: string;
  favourite: boolean;
  sortKey: string;
  searchText: string;
  numbers: StoredNumber[];
  emails: Array<{ label: EmailLabel; value: string }>;
}

function derive(fields: ContactFields, numbers: StoredNumber[]): NormalisedContact {
  const naming = { ...fields, numbers: numbers.map((n) => ({ value: n.typed })) };
  return {
    firstName: fields.firstName,
    lastName: fields.lastName,
    company: fields.company,
    favourite: fields.favourite,
    sortKey: sortKey(naming),
    // Leading space: a search for a word prefix is LIKE '% word%'.
    searchText: ` ${nameTokens(fields).join(' ')}`,
    numbers,
    emails: fields.emails,
  };
}

function toStored(n: ContactFields['numbers'][number], country: string): StoredNumber | undefined {
  const e164 = normaliseNumber(n.value, country);
  return e164 ? { label: n.label, typed: n.value, e164, digits: digitsOf(n.value) } : undefined;
}

/**
 * Validated fields → what is stored. A number that cannot be read in the
 * business's country is refused with a field error naming it (`numbers.1.value`).
 */
export function normaliseContact(fields: ContactFields, country: string): NormalisedContact {
  const errors: FieldError[] = [];
  const numbers: StoredNumber[] = [];
  fields.numbers.forEach((n, i) => {
    const stored = toStored(n, country);
    if (stored) numbers.push(stored);
    else
      errors.push({
        field: `numbers.${i}.value`,
        code: 'invalid_phone_number',
        message: 'This is not a phone number we can call. Check it, and add the country code if it is from abroad (e.g. +1 202 555 0123).',
      });
  });
  if (errors.length > 0) throw problems.validation(errors);
  return derive(fields, numbers);
}

/**
 * For imports: numbers that cannot be read are dropped rather than failing
 * the batch (the preview already reported them); undefined when none is left.
 */
export function normaliseImported(fields: ContactFields, country: string): NormalisedContact | undefined {
  const numbers = fields.numbers.map((n) => toStored(n, country)).filter((n): n is StoredNumber => n !== undefined);
  return numbers.length > 0 ? derive(fields, numbers) : undefined;
}
