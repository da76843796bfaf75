/**
 * vCard files (2.1, 3.0, 4.0, as iOS, Android, Google and Outlook write
 * them) → contacts and a report. ical.js reads 3.0 and 4.0; 2.1 cards, and
 * any card ical.js refuses, go through the normaliser first.
 */
import ICAL from 'ical.js';
import { CONTACT_EMAIL_MAX } from '../contacts-limits';
import { appleLabel, emailLabel, phoneLabel } from './labels';
import { nameOf, type ParsedContact, type ParseResult, type SkippedEntry } from './types';
import { type RawCard, splitCards } from './vcard-cards';
import { normaliseCard } from './vcard-lines';

/** ical.js's jCard property: [name, params, type, ...values]. */
type JProperty = [string, Record<string, string | string[]>, string, ...unknown[]];

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * ical.js 2.2 does not undo an escaped backslash (`\\`) and then misreads
 * the character after it (`\\;` splits nothing). Escaped backslashes are
 * swapped for a noncharacter before parsing and swapped back in every value.
 */
const BACKSLASH = '\ufdd0';
const protect = (text: string) => text.replaceAll(BACKSLASH, '').replace(/\\\\/g, BACKSLASH);

/** A property value as one string (multi-valued components joined by a space). */
function text(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).filter(Boolean).join(' ');
  const s = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  // ical.js leaves `\;` escaped in plain text values (FN, EMAIL); structured ones it splits.
  return s.replaceAll('\\;', ';').replaceAll(BACKSLASH, '\\').trim();
}

/** A TEL value → what the person would type: `tel:` and visual separators of the URI form undone. */
function telValue(raw: string): string {
  let value = raw.trim();
  if (/^tel:/i.test(value)) {
    value = value.slice(4);
    const [number = '', ...params] = value.split(';');
    const ext = params.find((p) => /^ext=/i.test(p));
    value = ext ? `${number} ext. ${ext.slice(4)}` : number;
  }
  return value;
}

/** One parsed card (jCard) → a contact. */
function toContact(properties: JProperty[]): ParsedContact {
  const labels = new Map<string, string>();
  for (const [name, params, , value] of properties) {
    const group = asList(params.group)[0];
    if (name === 'x-ablabel' && group) labels.set(group.toLowerCase(), appleLabel(text(value)));
  }
  const contact: ParsedContact = { firstName: '', lastName: '', company: '', numbers: [], emails: [] };
  let fullName = '';
  for (const [name, params, , ...values] of properties) {
    const value = values[0];
    const group = asList(params.group)[0]?.toLowerCase();
    const words = [...asList(params.type), ...(group && labels.has(group) ? [labels.get(group) as string] : [])];
    if (name === 'n' && Array.isArray(value)) {
      contact.lastName = text(value[0]);
      contact.firstName = [text(value[1]), text(value[2])].filter(Boolean).join(' ');
    } else if (name === 'fn') fullName = text(value);
    else if (name === 'org') contact.company = text(Array.isArray(value) ? value[0] : value);
    else if (name === 'tel') {
      const number = telValue(text(value));
      if (number) contact.numbers.push({ label: phoneLabel(words), value: number });
    } else if (name === 'email') {
      const email = text(value).replace(/^mailto:/i, '');
      if (email && email.length <= CONTACT_EMAIL_MAX) contact.emails.push({ label: emailLabel(words), value: email });
    } else if (name === 'x-softphone-favourite' && text(value) === '1') contact.favourite = true;
  }
  // No structured name (some exports write only FN): the full name goes in
  // first name, unless it is only the company or a number shown as the name.
  const digits = fullName.replace(/\D/g, '');
  const isNumber = digits !== '' && contact.numbers.some((n) => n.value.replace(/\D/g, '') === digits);
  if (!contact.firstName && !contact.lastName && fullName && fullName !== contact.company && !isNumber) contact.firstName = fullName;
  return contact;
}

function parseCard(card: RawCard): ParsedContact {
  const raw = protect(card.lines.join('\r\n'));
  if (card.version !== '2.1') {
    try {
      return toContact((ICAL.parse(raw) as [string, JProperty[]])[1]);
    } catch {
      // Refused by ical.js: try the forgiving normaliser below.
    }
  }
  return toContact((ICAL.parse(protect(normaliseCard(card.lines, card.version || '3.0'))) as [string, JProperty[]])[1]);
}

/**
 * Every card of a vCard file: the contacts with a phone number, and why the
 * others were left out. `firstCard` numbers the cards of a file's later part.
 */
export function parseVCards(text: string, firstCard = 1): ParseResult {
  const result: ParseResult = { format: 'vcard', contacts: [], origins: [], skipped: [] };
  for (const card of splitCards(text)) {
    const where = `card ${card.number + firstCard - 1}`;
    if (!card.complete) {
      result.skipped.push({ where, reason: 'unreadable', detail: 'The file ends in the middle of this contact.' });
      continue;
    }
    let contact: ParsedContact;
    try {
      contact = parseCard(card);
    } catch (e) {
      result.skipped.push({ where, reason: 'unreadable', detail: e instanceof Error ? e.message.slice(0, 200) : undefined });
      continue;
    }
    if (contact.numbers.length === 0) {
      const skip: SkippedEntry = { where, reason: 'no_phone_number' };
      const name = nameOf(contact);
      if (name) skip.name = name;
      result.skipped.push(skip);
      continue;
    }
    result.contacts.push(contact);
    result.origins.push(where);
  }
  return result;
}
