/**
 * The small vCard normaliser: turns any card (2.1 above all, but also a 3.0
 * or 4.0 card ical.js refused) into plain vCard 3.0 that ical.js reads.
 * It handles what phones and Outlook write in 2.1: lines folded by a space,
 * `ENCODING=QUOTED-PRINTABLE` with `=` soft line breaks, `CHARSET=`, and
 * TYPE parameters without `TYPE=` (`TEL;CELL;VOICE:`). Only the properties
 * an import uses are kept, which is also what makes it forgiving.
 */

/** Properties an import reads; everything else (photos, addresses, notes) is dropped. */
const KEPT = new Set(['N', 'FN', 'ORG', 'TEL', 'EMAIL', 'X-ABLABEL', 'X-SOFTPHONE-FAVOURITE']);
/** Structured values whose components are separated by `;`. */
const STRUCTURED = new Set(['N', 'ORG']);
const ENCODINGS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT']);

/** One content line, split. */
export interface ContentLine {
  group: string;
  name: string;
  /** Parameters by upper-case name; bare 2.1 parameters are collected under TYPE (or ENCODING). */
  params: Map<string, string[]>;
  value: string;
}

/** Splits `group.NAME;P=V;BARE:value`, honouring double quotes in parameters. Undefined for a line with no colon. */
export function splitLine(line: string): ContentLine | undefined {
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  // An unbalanced quote: fall back to the first colon.
  if (colon < 0) colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  const head = line.slice(0, colon);
  const parts = head.match(/(?:[^;"]|"[^"]*"?)+/g) ?? [];
  const [nameWithGroup = '', ...rawParams] = parts;
  const dot = nameWithGroup.lastIndexOf('.');
  const params = new Map<string, string[]>();
  const add = (key: string, values: string[]) => params.set(key, [...(params.get(key) ?? []), ...values]);
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    if (eq < 0) {
      const bare = raw.trim().toUpperCase();
      if (bare) add(ENCODINGS.has(bare) ? 'ENCODING' : 'TYPE', [bare]);
      continue;
    }
    const key = raw.slice(0, eq).trim().toUpperCase();
    const values = raw
      .slice(eq + 1)
      .split(',')
      .map((v) => v.trim().replace(/^"|"$/g, ''))
      .filter(Boolean);
    add(key, values);
  }
  return {
    group: dot > 0 ? nameWithGroup.slice(0, dot) : '',
    name: nameWithGroup
      .slice(dot + 1)
      .trim()
      .toUpperCase(),
    params,
    value: line.slice(colon + 1),
  };
}

const isQuotedPrintable = (line: string) => /QUOTED-PRINTABLE/i.test(line.slice(0, Math.max(0, line.indexOf(':'))));

/**
 * Raw lines → logical lines. A `=` at the end of a quoted-printable line is
 * a soft break (the next line continues it as is); a line starting with a
 * space or tab continues the previous one: in 2.1 the whitespace is kept
 * (folding happens at whitespace there), in 3.0 and 4.0 it is removed.
 */
export function unfold(lines: readonly string[], version: string): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const last = out.length - 1;
    const previous = out[last];
    if (previous !== undefined && isQuotedPrintable(previous) && previous.endsWith('=')) {
      out[last] = previous.slice(0, -1) + line;
    } else if (previous !== undefined && /^[ \t]/.test(line)) {
      out[last] = previous + (version === '2.1' ? line : line.slice(1));
    } else if (line.trim() !== '') {
      out.push(line);
    }
  }
  return out;
}

const encoder = new TextEncoder();

/** Decodes quoted-printable text whose bytes are in `charset` (UTF-8 when unknown). */
export function decodeQuotedPrintable(value: string, charset = 'utf-8'): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    const hex = value.slice(i + 1, i + 3);
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (ch === '=' && i >= value.length - 1) {
      // a soft break left at the very end
    } else {
      bytes.push(...encoder.encode(ch));
    }
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset.toLowerCase());
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(new Uint8Array(bytes));
}

/** Escapes a text value for vCard 3.0. */
function escape30(value: string): string {
  return value.replace(/[\\,;]/g, (ch) => `\\${ch}`).replace(/\r\n|\r|\n/g, '\\n');
}

/** Splits a value on `;` not escaped by a backslash. */
function components(value: string): string[] {
  return value.split(/(?<!\\);/);
}

/** Undoes the escapes of the card's own version, for re-escaping as 3.0. */
function unescapeValue(value: string, version: string): string {
  if (version === '2.1') return value.replace(/\\;/g, ';');
  return value.replace(/\\([\\,;nN])/g, (_, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));
}

/** A card's raw lines (BEGIN to END) → vCard 3.0 text with only the properties an import reads. */
export function normaliseCard(lines: readonly string[], version: string): string {
  const out = ['BEGIN:VCARD', 'VERSION:3.0'];
  for (const logical of unfold(lines, version)) {
    const line = splitLine(logical);
    if (!line || !KEPT.has(line.name)) continue;
    const encoding = line.params.get('ENCODING')?.[0]?.toUpperCase();
    if (encoding === 'BASE64' || encoding === 'B') continue;
    let value = line.value;
    if (encoding === 'QUOTED-PRINTABLE') value = decodeQuotedPrintable(value, line.params.get('CHARSET')?.[0]);
    const text = STRUCTURED.has(line.name)
      ? components(value)
          .map((c) => escape30(unescapeValue(c, version)))
          .join(';')
      : escape30(unescapeValue(value, version).trim());
    const types = (line.params.get('TYPE') ?? []).map((t) => t.replace(/[^A-Za-z0-9-]/g, '')).filter(Boolean);
    const group = line.group.replace(/[^A-Za-z0-9-]/g, '');
    out.push(`${group ? `${group}.` : ''}${line.name}${types.length ? `;TYPE=${types.join(',')}` : ''}:${text}`);
  }
  out.push('END:VCARD');
  return out.join('\r\n');
}
