/** Splitting a vCard file into its cards, so that one broken card never costs the others. */

/** One BEGIN:VCARD … END:VCARD block, as raw lines. */
export interface RawCard {
  /** 1-based position in the file, for the report. */
  number: number;
  lines: string[];
  /** "2.1", "3.0", "4.0"; empty when the card does not say. */
  version: string;
  /** False when the file ended before END:VCARD. */
  complete: boolean;
}

/** The cards of a file, in order; text outside cards is ignored. */
export function splitCards(text: string): RawCard[] {
  const cards: RawCard[] = [];
  let current: RawCard | undefined;
  let depth = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim().toUpperCase();
    if (trimmed === 'BEGIN:VCARD') {
      depth++;
      // A nested card (2.1 AGENT) stays inside its parent's lines.
      if (depth === 1) {
        current = { number: cards.length + 1, lines: [], version: '', complete: false };
        cards.push(current);
      }
    }
    if (!current) continue;
    current.lines.push(line);
    if (depth === 1 && !current.version) {
      const version = /^VERSION:\s*(\S+)/i.exec(line.trim());
      if (version?.[1]) current.version = version[1];
    }
    if (trimmed === 'END:VCARD') {
      depth--;
      if (depth === 0) {
        current.complete = true;
        current = undefined;
      }
    }
  }
  return cards;
}
