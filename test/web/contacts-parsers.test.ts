import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseContactsFile, parseContactsText } from '../../shared/contacts-import/parse';
import { prepareContacts } from '../../shared/contacts-import/prepare';
import { previewImport } from '../../shared/contacts-import/preview';
import { splitVCards } from '../../shared/contacts-import/split';
import { decodeFile } from '../../shared/contacts-import/text';
import type { ParsedContact } from '../../shared/contacts-import/types';
import { decodeQuotedPrintable, normaliseCard, splitLine, unfold } from '../../shared/contacts-import/vcard-lines';

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/contacts', name)));
const parse = (name: string) => parseContactsFile(fixture(name), name);
const brief = (c: ParsedContact) => ({
  name: `${c.firstName}|${c.lastName}|${c.company}`,
  numbers: c.numbers.map((n) => `${n.label}:${n.value}`),
  emails: c.emails.map((e) => `${e.label}:${e.value}`),
});

describe('vCard 3.0 from an iPhone', () => {
  it('reads names (UTF-8), typed numbers with their labels, grouped X-ABLabels, and skips photos and contacts without a number', () => {
    const result = parse('ios-3.0.vcf');
    expect(result.format).toBe('vcard');
    expect(result.contacts.map(brief)).toEqual([
      {
        name: 'Johnny|Appleseed|Orchard Growers Ltd',
        numbers: ['mobile:07700 900123', 'work:+44 20 7946 0001', 'home:+1 (202) 555-0142', 'other:+44 20 7946 0002'],
        emails: ['other:johnny@orchard.example'],
      },
      { name: 'José|Müller|', numbers: ['mobile:07700 900124'], emails: [] },
      { name: '三|张|', numbers: ['mobile:+86 139 1099 8888'], emails: [] },
    ]);
    expect(result.skipped).toEqual([{ where: 'card 4', name: 'Plumber (no number)', reason: 'no_phone_number' }]);
    expect(result.origins).toEqual(['card 1', 'card 2', 'card 3']);
  });
});

describe('vCard 2.1 from Android and Outlook', () => {
  it('decodes quoted-printable UTF-8 with soft line breaks and reads bare TYPE parameters', () => {
    const result = parse('android-2.1.vcf');
    expect(result.contacts.map(brief)).toEqual([
      { name: '三|张|', numbers: ['mobile:+8613910998888', 'home:010 6552 9988'], emails: ['home:zhang@example.cn'] },
      {
        name: 'Marie-Thérèse|François-Xavier de la Tour d’Auvergne et Grâce|',
        numbers: ['mobile:07700 900125', 'work:020 7946 0003', 'other:020 7946 0004'],
        emails: [],
      },
      { name: '|Voicemail|', numbers: ['other:*86'], emails: [] },
    ]);
    expect(result.skipped).toEqual([{ where: 'card 4', name: 'Birthday only', reason: 'no_phone_number' }]);
  });

  it('decodes Windows-1252 quoted-printable, escaped semicolons and fax numbers', () => {
    const [contact] = parse('outlook-2.1.vcf').contacts;
    expect(contact && brief(contact)).toEqual({
      name: 'José|Müller|Contoso Ltd; Holdings',
      numbers: ['work:(020) 7946 0018', 'mobile:07700 900126', 'work:020 7946 0019'],
      emails: ['other:jose.muller@contoso.example'],
    });
  });
});

describe('vCard 3.0 from Google, 4.0 from Thunderbird', () => {
  it('reads Google’s grouped custom labels', () => {
    expect(parse('google-3.0.vcf').contacts.map(brief)).toEqual([
      {
        name: 'Grace|Hopper|US Navy',
        numbers: ['mobile:+1 202-555-0143', 'other:+1 202-555-0199'],
        emails: ['work:grace@navy.example', 'home:grace@home.example'],
      },
    ]);
  });

  it('reads tel: URIs with extensions, quoted TYPE lists, and a name folded inside multi-byte characters (LF endings)', () => {
    expect(parse('thunderbird-4.0.vcf').contacts.map(brief)).toEqual([
      {
        name: 'Åsa-Björk|Þórðardóttir-Ünal von Großmann-Łukasiewicz|',
        numbers: ['mobile:+44-7700-900127', 'work:+44-20-7946-0020 ext. 42'],
        emails: ['work:asa@example.is'],
      },
    ]);
  });

  it('recovers a card ical.js refuses, and reports a card cut off by the end of the file', () => {
    const result = parse('damaged.vcf');
    expect(result.contacts.map(brief)).toEqual([
      { name: 'Quote|Trouble|', numbers: ['mobile:07700 900128'], emails: [] },
      { name: 'Fine Person||', numbers: ['other:020 7946 0021'], emails: [] },
    ]);
    expect(result.skipped).toEqual([{ where: 'card 3', reason: 'unreadable', detail: 'The file ends in the middle of this contact.' }]);
  });
});

describe('CSV from Google and Outlook', () => {
  it('Google (current layout): BOM, CRLF, multi-line quoted cells, several numbers in one cell', () => {
    const result = parse('google.csv');
    expect(result.format).toBe('csv-google');
    expect(result.contacts.map(brief)).toEqual([
      {
        name: 'Ada|Lovelace|Analytical Engines',
        numbers: ['mobile:07700 900130', 'mobile:+44 20 7946 0030', 'work:020 7946 0031'],
        emails: ['work:ada@engines.example'],
      },
      { name: 'Zoë|Ñúñez|', numbers: ['mobile:+34 612 345 678'], emails: [] },
      { name: '||Acme Plumbing', numbers: ['work:020 7946 0032'], emails: [] },
    ]);
    expect(result.skipped).toEqual([{ where: 'row 4', name: 'Bob NoPhone', reason: 'no_phone_number' }]);
    expect(result.origins).toEqual(['row 2', 'row 3', 'row 5']);
  });

  it('Google (older layout)', () => {
    const result = parse('google-legacy.csv');
    expect(result.format).toBe('csv-google');
    expect(result.contacts.map(brief)).toEqual([
      {
        name: 'Charles|Babbage|Difference Engines',
        numbers: ['mobile:07700 900140', 'work:020 7946 0041'],
        emails: ['home:charles@engines.example'],
      },
    ]);
    expect(result.skipped).toEqual([{ where: 'row 3', name: 'Just Email', reason: 'no_phone_number' }]);
  });

  it('Outlook, written in Windows-1252', () => {
    const result = parse('outlook.csv');
    expect(result.format).toBe('csv-outlook');
    expect(result.contacts.map(brief)).toEqual([
      {
        name: 'Renée|Lefèvre|Bureau Café',
        numbers: ['mobile:07700 900150', 'work:020 7946 0050'],
        emails: ['other:renee@bureau.example'],
      },
      { name: 'Søren|Ørsted|Ørsted & Co', numbers: ['home:+45 32 12 34 56'], emails: [] },
    ]);
    expect(result.skipped).toEqual([{ where: 'row 4', name: 'No Numbers', reason: 'no_phone_number' }]);
  });

  it('a sheet of its own making, with semicolons', () => {
    const result = parse('generic-semicolon.csv');
    expect(result.format).toBe('csv-generic');
    expect(result.contacts.map(brief)).toEqual([
      {
        name: 'Dee Generic||Sheets Ltd',
        numbers: ['mobile:07700 900160', 'work:020 7946 0060'],
        emails: ['other:dee@sheets.example'],
      },
      { name: 'No Digits||Sheets Ltd', numbers: ['mobile:n/a'], emails: [] },
    ]);
  });
});

describe('preparing an import and its preview', () => {
  it('keeps numbers that read in the business country, reports contacts with none, and counts duplicates', () => {
    const parsed = parse('android-2.1.vcf');
    const prepared = prepareContacts(parsed, 'GB');
    expect(prepared.contacts.map((c) => c.e164s)).toEqual([
      ['+8613910998888', '+441065529988'],
      ['+447700900125', '+442079460003', '+442079460004'],
    ]);
    expect(prepared.skipped).toEqual([
      { where: 'card 4', name: 'Birthday only', reason: 'no_phone_number' },
      { where: 'card 3', name: 'Voicemail', reason: 'no_valid_number', detail: '*86' },
    ]);
    expect(previewImport(prepared, (e) => e === '+442079460003')).toEqual({ new: 1, duplicates: 1, skipped: 2 });
  });

  it('counts a number repeated within the file as a duplicate, and cuts names to their limits', () => {
    const prepared = prepareContacts(
      {
        format: 'csv-generic',
        origins: ['row 2', 'row 3'],
        skipped: [],
        contacts: [
          {
            firstName: 'x'.repeat(150),
            lastName: '',
            company: '',
            numbers: [{ label: 'mobile', value: '07700 900170' }],
            emails: [{ label: 'work', value: 'not an email' }],
          },
          { firstName: 'Again', lastName: '', company: '', numbers: [{ label: 'mobile', value: '+447700900170' }], emails: [] },
        ],
      },
      'GB',
    );
    expect(prepared.contacts[0]?.firstName).toHaveLength(100);
    expect(prepared.contacts[0]?.emails).toEqual([]);
    expect(previewImport(prepared, () => false)).toEqual({ new: 1, duplicates: 1, skipped: 0 });
  });
});

describe('the 2.1 normaliser, piece by piece', () => {
  it('splits lines with bare, keyed and quoted parameters', () => {
    const line = splitLine('item1.TEL;CELL;VOICE;TYPE="work,pref";CHARSET=UTF-8:+44 20: 7946');
    expect(line?.group).toBe('item1');
    expect(line?.name).toBe('TEL');
    expect(line?.params.get('TYPE')).toEqual(['CELL', 'VOICE', 'work', 'pref']);
    expect(line?.params.get('CHARSET')).toEqual(['UTF-8']);
    expect(line?.value).toBe('+44 20: 7946');
    expect(splitLine('no colon here')).toBeUndefined();
  });

  it('unfolds 2.1 (keeping the space), 3.0 (dropping it) and quoted-printable soft breaks', () => {
    expect(unfold(['NOTE:a', ' b'], '2.1')).toEqual(['NOTE:a b']);
    expect(unfold(['NOTE:a', ' b'], '3.0')).toEqual(['NOTE:ab']);
    expect(unfold(['NOTE;ENCODING=QUOTED-PRINTABLE:a=', 'b=', '=3D', 'FN:x'], '2.1')).toEqual([
      'NOTE;ENCODING=QUOTED-PRINTABLE:ab=3D',
      'FN:x',
    ]);
  });

  it('decodes quoted-printable in the named charset, falling back to UTF-8', () => {
    expect(decodeQuotedPrintable('Gr=C3=BC=C3=9Fe')).toBe('Grüße');
    expect(decodeQuotedPrintable('Gr=FC=DFe', 'ISO-8859-1')).toBe('Grüße');
    expect(decodeQuotedPrintable('=E2=82=AC', 'no-such-charset')).toBe('€');
    expect(decodeQuotedPrintable('a=')).toBe('a');
  });

  it('writes plain vCard 3.0, escaping commas and keeping only what an import reads', () => {
    expect(normaliseCard(['BEGIN:VCARD', 'VERSION:2.1', 'N:Doe, Jr.;John', 'TEL;CELL:1', 'PHOTO;BASE64:AAA', 'END:VCARD'], '2.1')).toBe(
      'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe\\, Jr.;John\r\nTEL;TYPE=CELL:1\r\nEND:VCARD',
    );
  });
});

describe('reading a large vCard file in parts', () => {
  it('cuts at card boundaries and numbers the cards as in the whole file', () => {
    const text = decodeFile(fixture('android-2.1.vcf')) + decodeFile(fixture('ios-3.0.vcf'));
    const whole = parseContactsText(text, 'x.vcf');
    for (const parts of [2, 3, 5]) {
      const pieces = splitVCards(text, parts);
      expect(pieces.map((p) => p.text).join('')).toBe(text);
      for (const p of pieces.slice(1)) expect(p.text.startsWith('BEGIN:VCARD')).toBe(true);
      const read = pieces.map((p) => parseContactsText(p.text, 'x.vcf', p.firstCard));
      expect(read.flatMap((r) => r.contacts)).toEqual(whole.contacts);
      expect(read.flatMap((r) => r.origins)).toEqual(whole.origins);
      expect(read.flatMap((r) => r.skipped)).toEqual(whole.skipped);
    }
  });
});
