/**
 * How a contact is named and ordered, the same in the Worker (list order,
 * search) and the PWA (sections, local search).
 */

/** The fields that name a contact. */
export interface Naming {
  firstName: string;
  lastName: string;
  company: string;
  numbers: ReadonlyArray<{ value: string }>;
}

/** What a person sees: the full name, else the company, else the first number. */
export function displayName(c: Naming): string {
  const name = `${c.firstName} ${c.lastName}`.trim();
  return name || c.company || c.numbers[0]?.value || 'No name';
}

/**
 * Lower case without accents or punctuation at the ends, so "Émile" sorts and
 * matches with "emile". NFD splits the accent off; the combining marks go.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}

/** The list's order within favourites and non-favourites: the folded display name. */
export function sortKey(c: Naming): string {
  const name = `${c.firstName} ${c.lastName}`.trim() || c.company;
  // Contacts known only by a number sort after every named one.
  return name ? fold(name) : `\uffff${c.numbers[0]?.value ?? ''}`;
}

/** Words a name search matches by prefix: first, last and company words, folded. */
export function nameTokens(c: Pick<Naming, 'firstName' | 'lastName' | 'company'>): string[] {
  const words = fold(`${c.firstName} ${c.lastName} ${c.company}`).split(/[\s,.;:()/&'"-]+/);
  return [...new Set(words.filter(Boolean))];
}

/** The letter a contact's section starts with; `#` for digits and anything else. */
export function sectionLetter(key: string): string {
  const first = key.charAt(0).toUpperCase();
  return first >= 'A' && first <= 'Z' ? first : '#';
}

/** Only the digits of a number as typed ("+44 (0)20 7946" → "440207946"). */
export function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}
