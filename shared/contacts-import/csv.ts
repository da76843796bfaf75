/** CSV contact exports (Google, Outlook, or any sheet with name and phone columns) → contacts and a report. */
import Papa from 'papaparse';
import { CONTACT_EMAIL_MAX } from '../contacts-limits';
import { detectLayout, type Layout } from './csv-layouts';
import { emailLabel, phoneLabel } from './labels';
import { stripBom } from './text';
import { nameOf, type ParsedContact, type ParseResult, type SkippedEntry } from './types';

/** Google puts several values in one cell: "+44 20 … ::: +1 202 …". */
const splitMulti = (cell: string) =>
  cell
    .split(/\s*:::\s*/)
    .map((v) => v.trim())
    .filter(Boolean);

function cell(row: string[], indexes: number[]): string {
  for (const i of indexes) {
    const v = row[i]?.trim();
    if (v) return v;
  }
  return '';
}

function toContact(row: string[], layout: Layout): ParsedContact {
  const contact: ParsedContact = {
    firstName: cell(row, layout.first),
    lastName: cell(row, layout.last),
    company: cell(row, layout.company),
    numbers: [],
    emails: [],
  };
  if (!contact.firstName && !contact.lastName) contact.firstName = cell(row, layout.full);
  for (const column of layout.numbers) {
    const label = typeof column.label === 'string' ? column.label : phoneLabel([row[column.label.column] ?? '']);
    for (const value of splitMulti(row[column.value] ?? '')) contact.numbers.push({ label, value });
  }
  for (const column of layout.emails) {
    const label = typeof column.label === 'string' ? column.label : emailLabel([row[column.label.column] ?? '']);
    for (const value of splitMulti(row[column.value] ?? '')) if (value.length <= CONTACT_EMAIL_MAX) contact.emails.push({ label, value });
  }
  return contact;
}

/**
 * Every row of a CSV export. The delimiter (`,` `;` tab) and line endings
 * are detected; the first row is the header. Row numbers in the report are
 * as a spreadsheet shows them (the header is row 1).
 */
export function parseCsv(text: string): ParseResult {
  const parsed = Papa.parse<string[]>(stripBom(text), { skipEmptyLines: 'greedy' });
  const [header = [], ...rows] = parsed.data;
  const layout = detectLayout(header);
  const result: ParseResult = { format: layout.format, contacts: [], origins: [], skipped: [] };
  // Rows papaparse could not split (a quote never closed) are unreadable.
  const broken = new Set(parsed.errors.filter((e) => e.type === 'Quotes' && e.row !== undefined).map((e) => (e.row ?? 0) - 1));
  rows.forEach((row, i) => {
    const where = `row ${i + 2}`;
    if (broken.has(i)) {
      result.skipped.push({ where, reason: 'unreadable', detail: 'A quoted value is not closed.' });
      return;
    }
    const contact = toContact(row, layout);
    if (contact.numbers.length === 0) {
      const skip: SkippedEntry = { where, reason: 'no_phone_number' };
      const name = nameOf(contact);
      if (name) skip.name = name;
      result.skipped.push(skip);
      return;
    }
    result.contacts.push(contact);
    result.origins.push(where);
  });
  return result;
}
