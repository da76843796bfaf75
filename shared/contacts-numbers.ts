/**
 * Contact phone numbers in E.164, read in the business's country when they
 * have no +prefix. One function for the Worker (which decides) and the PWA
 * (which previews imports and validates forms the same way).
 */
import { type CountryCode, Metadata, type MetadataJson, type NumberingPlan, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

/*
 * Why not simply `parsePhoneNumberFromString(typed, country)`: where several
 * countries share a calling code (+1, +44, +7…), the library works out the
 * exact one by trying each one's number-type patterns, compiling a long
 * regular expression per try. That is two thirds of every parse, and an
 * import parses 50,000 numbers twice (preview, then the Worker).
 *
 * The exact country is only ever asked one thing: whether a national number
 * of this length is possible (too short, too long, or a length it does not
 * have), when deciding to strip a national prefix and when answering
 * "possible". So numbers are parsed with one country per calling code, and
 * the library's full parse runs instead where the answer could differ: a
 * length the countries of the code judge differently (GB has 9-digit numbers,
 * Jersey does not), or a national number that still starts with a national
 * prefix (stripping it may have been refused for the main country only).
 * The answers are the library's own; a test compares both over every country.
 */

/** The metadata with each calling code's main country only (US for +1, GB for +44). */
const mainCountryOnly: MetadataJson = {
  ...metadata,
  country_calling_codes: Object.fromEntries(
    Object.entries(metadata.country_calling_codes).map(([code, countries]) => [code, countries.slice(0, 1)]),
  ),
};

/** The longest national number the library reads (its MAX_LENGTH_FOR_NSN). */
const LONGEST = 17;

/** What the library's length check says of `length` for a country with these possible lengths. */
function lengthCheck(lengths: number[], length: number): string {
  if (lengths.includes(length)) return 'possible';
  if (length < (lengths[0] ?? 0)) return 'short';
  return length > (lengths.at(-1) ?? 0) ? 'long' : 'invalid';
}

/** For each calling code shared by several countries: the lengths they judge alike, and their national prefixes. */
const shared = new Map<string, { alike: Set<number>; prefixes: RegExp[] }>();
for (const [code, countries] of Object.entries(metadata.country_calling_codes)) {
  if (countries.length < 2) continue;
  const plans = countries.map((country) => {
    const m = new Metadata(metadata);
    m.selectNumberingPlan(country);
    // `nationalPrefixForParsing` is the library's own (its parser reads it) but missing from its types.
    return m.numberingPlan as (NumberingPlan & { nationalPrefixForParsing(): string | undefined }) | undefined;
  });
  const lengths = plans.map((plan) => plan?.possibleLengths() ?? []);
  const alike = new Set<number>();
  for (let length = 1; length <= LONGEST; length++) {
    if (new Set(lengths.map((l) => lengthCheck(l, length))).size === 1) alike.add(length);
  }
  // The 25 countries of +1 share one national prefix pattern: each distinct one is tried once.
  const patterns = new Set(plans.map((plan) => plan?.nationalPrefixForParsing()).filter((p): p is string => Boolean(p)));
  const prefixes = [...patterns].map((prefix) => new RegExp(`^(?:${prefix})`));
  shared.set(code, { alike, prefixes });
}

/**
 * The number in E.164, or undefined when it cannot be one. "Possible" (the
 * right length for its country), not "valid": a phone book holds numbers
 * from ranges newer than our metadata, and the dialer accepts the same.
 */
export function normaliseNumber(typed: string, country: string): string | undefined {
  // Words mean it is not a number (the parser would dig one out of "call 0207… after 5");
  // an extension at the end is the one exception, and the parser drops it.
  if (!/\d/.test(typed) || /[A-Za-z]/.test(typed.replace(/\s*(?:ext\.?|extension|x)\s*\d+\s*$/i, ''))) return undefined;
  const options = { defaultCountry: country as CountryCode };
  try {
    let parsed = parsePhoneNumberFromString(typed, options, mainCountryOnly);
    const code = parsed && shared.get(parsed.countryCallingCode);
    if (
      parsed &&
      code &&
      (!code.alike.has(parsed.nationalNumber.length) || code.prefixes.some((p) => p.test(parsed?.nationalNumber ?? '')))
    ) {
      parsed = parsePhoneNumberFromString(typed, options, metadata);
    }
    return parsed?.isPossible() ? parsed.number : undefined;
  } catch {
    return undefined;
  }
}
