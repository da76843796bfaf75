/**
 * RFC 4180 CSV, safe to open in a spreadsheet: fields with a comma, quote or
 * line break are quoted with quotes doubled; a field a spreadsheet would run
 * as a formula (starting with = + - @, or a tab or carriage return) gets a
 * leading apostrophe (OWASP's advice), so "+44…" reads '+44… in the file.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRow(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
