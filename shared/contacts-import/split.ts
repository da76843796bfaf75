/**
 * Cutting a large vCard file in parts at card boundaries, so that two
 * workers can read it at once (each part says where its cards start, so
 * the report's "card 31,204" still points into the whole file).
 */

/** One part of a vCard file. */
export interface VCardPart {
  text: string;
  /** The number of the part's first card in the whole file. */
  firstCard: number;
}

const CARD = /^BEGIN:VCARD[ \t]*\r?$/gim;

/** Cuts `text` into `parts` pieces of about equal size, each starting at a BEGIN:VCARD line. */
export function splitVCards(text: string, parts: number): VCardPart[] {
  const cuts = [0];
  for (let k = 1; k < parts; k++) {
    CARD.lastIndex = Math.floor((text.length * k) / parts);
    const next = CARD.exec(text);
    if (!next || next.index <= (cuts.at(-1) as number)) break;
    cuts.push(next.index);
  }
  let firstCard = 1;
  return cuts.map((start, i) => {
    const part = text.slice(start, cuts[i + 1] ?? text.length);
    const result = { text: part, firstCard };
    firstCard += part.match(CARD)?.length ?? 0;
    return result;
  });
}
