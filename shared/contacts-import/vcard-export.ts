/**
 * Contacts → vCard 4.0 (RFC 6350), the format every phone and mail program
 * reads. Runs in the Worker (the export download) and the page (exporting
 * offline from the device's copy).
 */
import type { PhoneLabel } from '../contacts-limits';
import { displayName } from '../contacts-names';

/** What an export needs of a contact (the API's `Contact` fits). */
export interface ExportableContact {
  id: string;
  firstName: string;
  lastName: string;
  company: string;
  numbers: ReadonlyArray<{ label: PhoneLabel; value: string; e164: string }>;
  emails: ReadonlyArray<{ label: string; value: string }>;
  favourite?: boolean;
}

const TEL_TYPES: Record<PhoneLabel, string> = { mobile: 'cell', work: 'work,voice', home: 'home,voice', other: 'voice' };

/** Escapes a text value: backslash, newline, and the separators `,` and `;`. */
export function escapeText(value: string): string {
  return value.replace(/[\\,;]/g, (ch) => `\\${ch}`).replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();

/**
 * Folds a content line at 75 octets (RFC 6350 §3.2) without splitting a
 * character: continuation lines start with one space.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    // The first line holds 75 octets; later ones 74 after their leading space.
    if (bytes + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** One contact as a vCard 4.0, CRLF line endings. */
export function contactToVCard(c: ExportableContact): string {
  const lines = [
    'BEGIN:VCARD',
    'VERSION:4.0',
    `UID:urn:softphone:${escapeText(c.id)}`,
    // FN is required: a contact with no name shows its number, as written in TEL (an importer recognises it).
    `FN:${escapeText(`${c.firstName} ${c.lastName}`.trim() || c.company || c.numbers[0]?.e164 || displayName(c))}`,
    `N:${escapeText(c.lastName)};${escapeText(c.firstName)};;;`,
  ];
  if (c.company) lines.push(`ORG:${escapeText(c.company)}`);
  for (const n of c.numbers) lines.push(`TEL;VALUE=uri;TYPE="${TEL_TYPES[n.label]}":tel:${n.e164}`);
  for (const e of c.emails) lines.push(`EMAIL;TYPE=${e.label === 'other' ? 'internet' : e.label}:${escapeText(e.value)}`);
  if (c.favourite) lines.push('X-SOFTPHONE-FAVOURITE:1');
  lines.push('END:VCARD');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** Many contacts, one after another. */
export function contactsToVCard(contacts: Iterable<ExportableContact>): string {
  let out = '';
  for (const c of contacts) out += contactToVCard(c);
  return out;
}
