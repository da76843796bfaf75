/**
 * Contact phone numbers in E.164, read in the business's country when they
 * have no +prefix. One function for the Worker (which decides) and the PWA
 * (which previews imports and validates forms the same way).
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * The number in E.164, or undefined when it cannot be one. "Possible" (the
 * right length for its country), not "valid": a phone book holds numbers
 * from ranges newer than our metadata, and the dialer accepts the same.
 */
export function normaliseNumber(typed: string, country: string): string | undefined {
  // Words mean it is not a number (the parser would dig one out of "call 0207… after 5");
  // an extension at the end is the one exception, and the parser drops it.
  if (!/\d/.test(typed) || /[A-Za-z]/.test(typed.replace(/\s*(?:ext\.?|extension|x)\s*\d+\s*$/i, ''))) return undefined;
  try {
    const parsed = parsePhoneNumberFromString(typed, { defaultCountry: country as CountryCode });
    return parsed?.isPossible() ? parsed.number : undefined;
  } catch {
    return undefined;
  }
}
