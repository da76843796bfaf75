import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { Problem } from '../platform/problem';

/**
 * A number as a person typed it (national or international format) in
 * E.164, read in the given country when it has no +prefix. Undefined when it
 * is not a possible, valid number.
 */
export function toE164(input: string, country: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input, { defaultCountry: country as CountryCode });
  return parsed?.isValid() ? parsed.number : undefined;
}

/** Like `toE164`, but a number that cannot be read is a 422 on the named field. */
export function requireE164(input: string, country: string, field = 'mobile'): string {
  const e164 = toE164(input, country);
  if (!e164) {
    throw new Problem(422, 'validation_failed', 'Some fields are not valid', 'Correct the fields listed in errors.', [
      {
        field,
        code: 'invalid_phone_number',
        message: 'Enter a valid phone number, with the country code if it is not from here (e.g. +44 7700 900123).',
      },
    ]);
  }
  return e164;
}

/** The country a number belongs to (to default a new business's country). */
export function countryOf(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}
