import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { parseContactsFile, parseContactsText } from '../../shared/contacts-import/parse';
import { prepareContacts } from '../../shared/contacts-import/prepare';
import { contactsToVCard, type ExportableContact } from '../../shared/contacts-import/vcard-export';
import { PHONE_LABELS } from '../../shared/contacts-limits';
import { normaliseNumber } from '../../shared/contacts-numbers';

/** Characters that trouble vCard writers and readers: separators, escapes, accents, CJK, emoji, newlines. */
const tricky = fc.constantFrom(...'aZé ß;,\\:"\'=\n\tØ张三😀-.()+ñ'.split(''), 'ü', 'Å', '\u00a0');
const name = fc.string({ unit: tricky, maxLength: 30 }).map((s) => s.trim());

/** A number libphonenumber reads: GB drama ranges, US 555-01xx, and a German landline. */
const number = fc
  .tuple(fc.constantFrom('+447700900', '+44207946', '+1202555', '+4930'), fc.integer({ min: 0, max: 9_999_999 }))
  .map(([prefix, n]) => {
    const digits = String(n).padStart(prefix === '+4930' ? 8 : prefix === '+447700900' ? 3 : 4, '0');
    return prefix + digits.slice(0, prefix === '+4930' ? 8 : prefix === '+447700900' ? 3 : 4);
  })
  .filter((e164) => normaliseNumber(e164, 'GB') === e164);

const contact: fc.Arbitrary<ExportableContact> = fc.record({
  id: fc.uuid(),
  firstName: name,
  lastName: name,
  company: name,
  numbers: fc.uniqueArray(
    fc.record({ label: fc.constantFrom(...PHONE_LABELS), e164: number }).map((n) => ({ ...n, value: n.e164 })),
    { minLength: 1, maxLength: 4, selector: (n) => n.e164 },
  ),
  emails: fc.array(fc.record({ label: fc.constantFrom('work', 'home', 'other'), value: fc.emailAddress() }), { maxLength: 3 }),
});

describe('property: export → import', () => {
  it('preserves names, companies and numbers (E.164) of any contacts', () => {
    fc.assert(
      fc.property(fc.array(contact, { minLength: 1, maxLength: 8 }), (contacts) => {
        const parsed = parseContactsText(contactsToVCard(contacts), 'export.vcf');
        const prepared = prepareContacts(parsed, 'GB');
        expect(prepared.skipped).toEqual([]);
        expect(prepared.contacts.map((c) => [c.firstName, c.lastName, c.company, c.e164s])).toEqual(
          contacts.map((c) => [c.firstName, c.lastName, c.company, c.numbers.map((n) => n.e164)]),
        );
        expect(prepared.contacts.map((c) => c.emails.map((e) => e.value))).toEqual(contacts.map((c) => c.emails.map((e) => e.value)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every exported line within 75 octets', () => {
    fc.assert(
      fc.property(contact, (c) => {
        for (const line of contactsToVCard([c]).split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
      }),
    );
  });
});

/** Lines that look like vCard content, to get past the first checks into the parsers' depths. */
const vcardLine = fc.oneof(
  fc.string(),
  fc
    .tuple(
      fc.constantFrom('N', 'FN', 'TEL', 'EMAIL', 'ORG', 'item1.TEL', 'X-ABLabel', 'PHOTO', 'VERSION', 'BEGIN', 'END'),
      fc.array(
        fc.constantFrom(
          ';CELL',
          ';TYPE=work',
          ';ENCODING=QUOTED-PRINTABLE',
          ';CHARSET=ISO-8859-1',
          ';TYPE="cell',
          ';=',
          ';VALUE=uri',
          ';BASE64',
        ),
        {
          maxLength: 3,
        },
      ),
      fc.string({ unit: fc.constantFrom(...'=0A;,\\:"+447700 9F'.split('')), maxLength: 20 }),
    )
    .map(([n, params, value]) => `${n}${params.join('')}:${value}`),
);
const vcardish = fc
  .array(
    fc.tuple(
      fc.constantFrom('2.1', '3.0', '4.0', 'x'),
      fc.array(vcardLine, { maxLength: 8 }),
      fc.boolean(),
      fc.constantFrom('\r\n', '\n', '\r'),
    ),
    { maxLength: 4 },
  )
  .map((cards) =>
    cards.map(([v, lines, end, eol]) => ['BEGIN:VCARD', `VERSION:${v}`, ...lines, ...(end ? ['END:VCARD'] : [])].join(eol)).join('\r\n'),
  );

describe('property: any input is reported, never thrown', () => {
  it('vCard-like text', () => {
    fc.assert(
      fc.property(vcardish, (text) => {
        const result = parseContactsText(text, 'x.vcf');
        for (const c of result.contacts) expect(c.numbers.length).toBeGreaterThan(0);
        expect(result.contacts).toHaveLength(result.origins.length);
        prepareContacts(result, 'GB');
      }),
      { numRuns: 500 },
    );
  });

  it('CSV with any cells, and any bytes at all', () => {
    const cells = fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 });
    const header = fc.array(fc.constantFrom('First Name', 'Mobile Phone', 'Phone 1 - Value', 'E-mail Address', 'Name', 'x'), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(header, cells, (h, rows) => {
        const result = parseContactsText(Papa.unparse([h, ...rows]), 'x.csv');
        // Every row is a contact or a report line, at most once (the delimiter is guessed, so rows may merge).
        const places = [...result.origins, ...result.skipped.map((s) => s.where)];
        expect(new Set(places).size).toBe(places.length);
        expect(places.length).toBeLessThanOrEqual(rows.length);
        for (const c of result.contacts) expect(c.numbers.length).toBeGreaterThan(0);
        prepareContacts(result, 'US');
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom('a.vcf', 'a.csv', ''), (bytes, fileName) => {
        parseContactsFile(bytes, fileName);
      }),
      { numRuns: 300 },
    );
  });
});

describe('property: number normalisation', () => {
  it('E.164 in, the same E.164 out, whatever the country and the punctuation around it', () => {
    fc.assert(
      fc.property(number, fc.constantFrom('GB', 'US', 'DE', 'FR', 'JP'), fc.constantFrom(' ', '-', '.', ''), (e164, country, sep) => {
        expect(normaliseNumber(e164, country)).toBe(e164);
        const spaced = `${e164.slice(0, 3)}${sep}(${e164.slice(3, 6)})${sep}${e164.slice(6)}`;
        expect(normaliseNumber(spaced, country)).toBe(e164);
      }),
    );
  });

  it('a UK number written nationally reads the same in GB', () => {
    fc.assert(
      fc.property(
        number.filter((e) => e.startsWith('+44')),
        (e164) => {
          expect(normaliseNumber(`0${e164.slice(3)}`, 'GB')).toBe(e164);
        },
      ),
    );
  });

  it('never throws, and anything it returns is E.164', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom('GB', 'US', 'ZZ', ''), (text, country) => {
        const e164 = normaliseNumber(text, country);
        if (e164 !== undefined) expect(e164).toMatch(/^\+[1-9]\d{4,14}$/);
      }),
      { numRuns: 1000 },
    );
  });
});
