/**
 * Generated contacts for `npm run bench:contacts`: a vCard 3.0 file like a
 * phone's export (names with accents, a company, one or two numbers, an
 * email), every number distinct and valid in GB or the US.
 */

const FIRST = ['Ada', 'Émile', 'Grace', 'Zoë', 'Alan', 'Björk', 'Chen', 'Fatima', 'Olu', 'Søren', 'Priya', 'José', 'Mia', 'Noah'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Müller', 'Nakamura', 'Okafor', 'García', 'Ørsted', 'Singh', 'Brown', 'Dubois', 'Kowalski'];
const COMPANIES = ['Analytical Engines', 'Bakery & Co', 'Contoso', 'Fabrikam', 'Northwind', '', '', ''];

/** The i-th generated number (distinct for i < 1,000,000): GB 020 7946 xxxx-style and US 202-555 ranges. */
export function benchNumber(i: number): string {
  return i % 2 === 0
    ? `020 ${String(3000 + Math.floor(i / 20000)).padStart(4, '0')} ${String((i / 2) % 10000).padStart(4, '0')}`
    : `+1 (202) ${200 + Math.floor(i / 20000)}-${String(Math.floor(i / 2) % 10000).padStart(4, '0')}`;
}

/** `count` contacts as one vCard 3.0 file (CRLF). */
export function benchVCards(count: number): string {
  const cards: string[] = [];
  for (let i = 0; i < count; i++) {
    const first = `${FIRST[i % FIRST.length]}${i}`;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length] as string;
    const company = COMPANIES[i % COMPANIES.length] as string;
    const lines = ['BEGIN:VCARD', 'VERSION:3.0', `N:${last};${first};;;`, `FN:${first} ${last}`];
    if (company) lines.push(`ORG:${company.replace(/[,;]/g, (c) => `\\${c}`)};`);
    lines.push(`TEL;type=CELL;type=VOICE;type=pref:${benchNumber(i)}`);
    if (i % 3 === 0) lines.push(`TEL;type=WORK;type=VOICE:${benchNumber(i + 1_000_000 - count)}`);
    lines.push(`EMAIL;type=INTERNET;type=WORK:person${i}@example.com`, 'END:VCARD');
    cards.push(lines.join('\r\n'));
  }
  return `${cards.join('\r\n')}\r\n`;
}
