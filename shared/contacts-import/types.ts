/**
 * What the contact parsers produce: contacts in the API's shape (numbers as
 * typed, not yet normalised) and a report of everything they left out.
 * Parsers run in the browser: no Node APIs here.
 */
import type { EmailLabel, PhoneLabel } from '../contacts-limits';

/** A contact read from a file or the device, before numbers are normalised. */
export interface ParsedContact {
  firstName: string;
  lastName: string;
  company: string;
  numbers: Array<{ label: PhoneLabel; value: string }>;
  emails: Array<{ label: EmailLabel; value: string }>;
  favourite?: boolean;
}

/** Why an entry was left out of an import. */
export type SkipReason = 'no_phone_number' | 'no_valid_number' | 'unreadable' | 'duplicate';

/** One entry left out, and where it was (`card 3`, `row 12`, `contact 4`). */
export interface SkippedEntry {
  where: string;
  /** The entry's name, when it had one, so a person recognises it. */
  name?: string;
  reason: SkipReason;
  /** Specifics: the numbers that could not be read, the parser's complaint. */
  detail?: string;
}

/** The formats recognised (`device`: the browser's Contact Picker). */
export type ImportFormat = 'vcard' | 'csv-google' | 'csv-outlook' | 'csv-generic' | 'device';

export interface ParseResult {
  format: ImportFormat;
  contacts: ParsedContact[];
  /** Where each contact came from, parallel to `contacts` (for later reports). */
  origins: string[];
  skipped: SkippedEntry[];
}

/** Words a person reads for each reason. */
export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  no_phone_number: 'No phone number',
  no_valid_number: 'No number we can call',
  unreadable: 'Could not be read',
  duplicate: 'Already in your contacts',
};

/** The name a person would recognise an entry by in a report. */
export function nameOf(c: Pick<ParsedContact, 'firstName' | 'lastName' | 'company'>): string | undefined {
  return `${c.firstName} ${c.lastName}`.trim() || c.company || undefined;
}
