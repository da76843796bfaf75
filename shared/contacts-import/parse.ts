/** One entry point for a picked file or pasted text: vCard or CSV, decided by content and name. */
import { parseCsv } from './csv';
import { decodeFile, looksLikeVCard } from './text';
import type { ParseResult } from './types';
import { parseVCards } from './vcard';

/**
 * Parses contacts from text; `fileName` breaks the tie when the content says
 * nothing. `firstCard` numbers the cards of a vCard file's later part.
 */
export function parseContactsText(text: string, fileName = '', firstCard = 1): ParseResult {
  if (looksLikeVCard(text) || /\.(vcf|vcard)$/i.test(fileName)) return parseVCards(text, firstCard);
  return parseCsv(text);
}

/** Parses contacts from a file's bytes (any of the encodings `decodeFile` knows). */
export function parseContactsFile(bytes: Uint8Array, fileName = ''): ParseResult {
  return parseContactsText(decodeFile(bytes), fileName);
}
