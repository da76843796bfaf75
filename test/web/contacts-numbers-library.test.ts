/**
 * `normaliseNumber` reads numbers with one country per calling code (see
 * shared/contacts-numbers.ts). Here it is held to the library's own reading,
 * with all its metadata, on every country's example number: as E.164, written
 * internationally, written nationally in its own country, read from abroad,
 * and a digit short or long.
 */
import fc from 'fast-check';
import { type CountryCode, getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import metadata from 'libphonenumber-js/min/metadata';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { normaliseNumber } from '../../shared/contacts-numbers';

/** The library as it comes: the exact country found by trying each one sharing the calling code. */
function reference(typed: string, country: string): string | undefined {
  const parsed = parsePhoneNumberFromString(typed, { defaultCountry: country as CountryCode });
  return parsed?.isPossible() ? parsed.number : undefined;
}

const countries = getCountries();
const samples = countries.flatMap((country) => {
  const example = getExampleNumber(country, examples);
  if (!example) return [];
  const e164 = example.number;
  return [
    { country, text: e164 },
    { country, text: example.formatInternational() },
    { country, text: example.formatNational() },
    { country, text: `${e164}1` },
    { country, text: e164.slice(0, -1) },
    { country, text: example.formatNational().replace(/\d(?=\D*$)/, '') },
  ];
});

describe('number normalisation against the library with all its metadata', () => {
  it('reads every country’s example numbers as the library does', () => {
    expect(countries.length).toBeGreaterThan(200);
    const differences = samples
      .map((s) => ({ ...s, ours: normaliseNumber(s.text, s.country), library: reference(s.text, s.country) }))
      .filter((s) => s.ours !== s.library);
    expect(differences).toEqual([]);
  });

  it('agrees on any digits after any calling code, and on any digits written nationally anywhere', () => {
    const codes = Object.keys(metadata.country_calling_codes);
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        fc.stringMatching(/^\d{3,13}$/),
        fc.constantFrom<string>(...countries),
        (code, digits, country) => {
          expect(normaliseNumber(`+${code}${digits}`, country)).toBe(reference(`+${code}${digits}`, country));
          expect(normaliseNumber(`00${code}${digits}`, country)).toBe(reference(`00${code}${digits}`, country));
          expect(normaliseNumber(`0${digits}`, country)).toBe(reference(`0${digits}`, country));
          expect(normaliseNumber(`1${digits}`, country)).toBe(reference(`1${digits}`, country));
          expect(normaliseNumber(digits, country)).toBe(reference(digits, country));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
