/**
 * The CSV column layouts we recognise from their header: Google Contacts
 * (current "Google CSV" and the older export), Outlook (Outlook.com and the
 * desktop program), and a generic guess for anything else.
 */
import type { EmailLabel, PhoneLabel } from '../contacts-limits';
import { emailLabel, phoneLabel } from './labels';
import type { ImportFormat } from './types';

/** Where a layout finds each field in a row (column indexes). */
export interface Layout {
  format: Exclude<ImportFormat, 'vcard' | 'device'>;
  first: number[];
  last: number[];
  /** A full name, used when there is no first or last name. */
  full: number[];
  company: number[];
  /** Number columns: a fixed label, or a column holding the label. */
  numbers: Array<{ value: number; label: PhoneLabel | { column: number } }>;
  emails: Array<{ value: number; label: EmailLabel | { column: number } }>;
}

const norm = (h: string) => h.trim().toLowerCase();

function columns(header: string[], ...names: string[]): number[] {
  const wanted = names.map(norm);
  return header.flatMap((h, i) => (wanted.includes(norm(h)) ? [i] : []));
}

function google(header: string[]): Layout | undefined {
  const value = (kind: string, k: string) => header.findIndex((h) => norm(h) === `${kind} ${k} - value`);
  const label = (kind: string, k: string) =>
    header.findIndex((h) => norm(h) === `${kind} ${k} - label` || norm(h) === `${kind} ${k} - type`);
  const numbered = (kind: string) =>
    [...new Set(header.flatMap((h) => new RegExp(`^${kind} (\\d+) - value$`).exec(norm(h))?.[1] ?? []))].map((k) => ({
      value: value(kind, k),
      label: { column: label(kind, k) },
    }));
  const numbers = numbered('phone');
  const emails = numbered('e-mail');
  if (numbers.length === 0 && emails.length === 0) return undefined;
  return {
    format: 'csv-google',
    first: columns(header, 'First Name', 'Given Name'),
    last: columns(header, 'Last Name', 'Family Name'),
    full: columns(header, 'Name', 'File As'),
    company: columns(header, 'Organization Name', 'Organization 1 - Name'),
    numbers,
    emails,
  };
}

/** Outlook's phone columns and the label each means. */
const OUTLOOK_PHONES: Array<[string, PhoneLabel]> = [
  ['Mobile Phone', 'mobile'],
  ['Car Phone', 'mobile'],
  ['Business Phone', 'work'],
  ['Business Phone 2', 'work'],
  ['Company Main Phone', 'work'],
  ["Assistant's Phone", 'work'],
  ['Home Phone', 'home'],
  ['Home Phone 2', 'home'],
  ['Primary Phone', 'other'],
  ['Other Phone', 'other'],
  ['Callback', 'other'],
  ['Radio Phone', 'other'],
  ['Pager', 'other'],
  ['ISDN', 'other'],
  ['TTY/TDD Phone', 'other'],
  ['Business Fax', 'work'],
  ['Home Fax', 'home'],
  ['Other Fax', 'other'],
];

function outlook(header: string[]): Layout | undefined {
  if (columns(header, 'Mobile Phone', 'Business Phone', 'Home Phone', 'E-mail Address').length === 0) return undefined;
  return {
    format: 'csv-outlook',
    first: columns(header, 'First Name'),
    last: columns(header, 'Last Name'),
    full: columns(header, 'Display Name', 'Name'),
    company: columns(header, 'Company'),
    numbers: OUTLOOK_PHONES.flatMap(([name, label]) => columns(header, name).map((value) => ({ value, label }))),
    emails: columns(header, 'E-mail Address', 'E-mail 2 Address', 'E-mail 3 Address').map((value) => ({ value, label: 'other' as const })),
  };
}

/** Anything else: columns whose names say name, phone or email. */
function generic(header: string[]): Layout {
  const find = (re: RegExp) => header.flatMap((h, i) => (re.test(norm(h)) ? [i] : []));
  const first = find(/^(first( name)?|firstname|given( name)?|forename)$/);
  const last = find(/^(last( name)?|lastname|surname|family( name)?)$/);
  const full = find(/^((full |display )?name|contact( name)?)$/);
  const company = find(/^(company|organi[sz]ation|org|business|employer)( name)?$/);
  const numbers = find(/phone|mobile|cell|\btel\b|telephone|number/).map((value) => ({
    value,
    label: phoneLabel([header[value] ?? '']),
  }));
  const emails = find(/e-?mail/).map((value) => ({ value, label: emailLabel([header[value] ?? '']) }));
  return { format: 'csv-generic', first, last, full, company, numbers, emails };
}

/** The layout a header row describes. */
export function detectLayout(header: string[]): Layout {
  return google(header) ?? outlook(header) ?? generic(header);
}
