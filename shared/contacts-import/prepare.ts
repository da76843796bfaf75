/**
 * Parsed contacts → what an import sends, and the preview's counts. Numbers
 * are normalised exactly as the Worker will (the same function, the same
 * country), so the preview's "new" and "duplicate" are what the import does.
 */
import {
  CONTACT_COMPANY_MAX,
  CONTACT_EMAILS_MAX,
  CONTACT_NAME_MAX,
  CONTACT_NUMBER_MAX,
  CONTACT_NUMBERS_MAX,
  isEmail,
} from '../contacts-limits';
import { normaliseNumber } from '../contacts-numbers';
import { nameOf, type ParsedContact, type ParseResult, type SkippedEntry } from './types';

/** A contact ready to send, with its numbers' E.164 for finding duplicates. */
export interface PreparedContact extends ParsedContact {
  e164s: string[];
  /** Where it came from in the file (`card 3`, `row 12`). */
  origin: string;
}

export interface Prepared {
  contacts: PreparedContact[];
  skipped: SkippedEntry[];
}

const clip = (text: string, max: number) => text.trim().slice(0, max).trim();

/**
 * Keeps the numbers that read in `country` (at most 20), the emails that
 * look like addresses (at most 20), and names cut to their limits. A contact
 * left with no number is reported, naming the numbers that could not be read.
 */
export function prepareContacts(parsed: ParseResult, country: string): Prepared {
  const out: Prepared = { contacts: [], skipped: [...parsed.skipped] };
  parsed.contacts.forEach((c, i) => {
    const origin = parsed.origins[i] ?? `contact ${i + 1}`;
    const numbers: ParsedContact['numbers'] = [];
    const e164s: string[] = [];
    for (const n of c.numbers) {
      const value = n.value.trim();
      const e164 = value.length <= CONTACT_NUMBER_MAX ? normaliseNumber(value, country) : undefined;
      if (!e164 || e164s.includes(e164) || numbers.length >= CONTACT_NUMBERS_MAX) continue;
      numbers.push({ label: n.label, value });
      e164s.push(e164);
    }
    if (numbers.length === 0) {
      const skip: SkippedEntry = { where: origin, reason: 'no_valid_number', detail: c.numbers.map((n) => n.value).join(', ') };
      const name = nameOf(c);
      if (name) skip.name = name;
      out.skipped.push(skip);
      return;
    }
    const seen = new Set<string>();
    const emails = c.emails
      .map((e) => ({ label: e.label, value: e.value.trim() }))
      .filter((e) => isEmail(e.value) && !seen.has(e.value.toLowerCase()) && seen.add(e.value.toLowerCase()))
      .slice(0, CONTACT_EMAILS_MAX);
    const contact: PreparedContact = {
      firstName: clip(c.firstName, CONTACT_NAME_MAX),
      lastName: clip(c.lastName, CONTACT_NAME_MAX),
      company: clip(c.company, CONTACT_COMPANY_MAX),
      numbers,
      emails,
      e164s,
      origin,
    };
    if (c.favourite) contact.favourite = true;
    out.contacts.push(contact);
  });
  return out;
}
