/** Reading a picked file (in a Worker where there is one) or the Contact Picker's choice into an import. */
import type { Prepared } from '../../../shared/contacts-import/prepare';
import type { ImportFormat, ParsedContact } from '../../../shared/contacts-import/types';

/** What a worker is asked to read: a whole file's bytes, or one part of a large vCard file. */
export type ParseRequest =
  | { bytes: ArrayBuffer; name: string; country: string }
  | { text: string; firstCard: number; name: string; country: string };

export type ParseResponse = { ok: true; format: ImportFormat; prepared: Prepared } | { ok: false; message: string };

/** What a file turned into: its format, the contacts ready to send, and what was left out. */
export interface ReadFile {
  format: ImportFormat;
  prepared: Prepared;
}

/** Above this, a vCard file is read by two workers at once (one per core on a phone or laptop). */
const SPLIT_BYTES = 1_000_000;

function inWorker(request: ParseRequest): Promise<ReadFile> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<ParseResponse>) => {
      worker.terminate();
      if (e.data.ok) resolve({ format: e.data.format, prepared: e.data.prepared });
      else reject(new Error(e.data.message));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'The file could not be read.'));
    };
    worker.postMessage(request, 'bytes' in request ? [request.bytes] : []);
  });
}

/** Reads a large vCard file in two parts at once and joins what they found, in file order. */
async function inTwoWorkers(bytes: ArrayBuffer, name: string, country: string): Promise<ReadFile | undefined> {
  const [{ decodeFile, looksLikeVCard }, { splitVCards }] = await Promise.all([
    import('../../../shared/contacts-import/text'),
    import('../../../shared/contacts-import/split'),
  ]);
  const text = decodeFile(new Uint8Array(bytes));
  if (!looksLikeVCard(text)) return undefined;
  const parts = await Promise.all(splitVCards(text, 2).map((p) => inWorker({ text: p.text, firstCard: p.firstCard, name, country })));
  return {
    format: 'vcard',
    prepared: { contacts: parts.flatMap((p) => p.prepared.contacts), skipped: parts.flatMap((p) => p.prepared.skipped) },
  };
}

/** Parses a file; without Workers (old browsers, tests) on the page, after yielding once so the screen can say "Reading…". */
export async function readContactsFile(file: Blob & { name: string }, country: string): Promise<ReadFile> {
  const bytes = await file.arrayBuffer();
  if (typeof Worker !== 'undefined') {
    const split = bytes.byteLength > SPLIT_BYTES ? await inTwoWorkers(bytes, file.name, country) : undefined;
    return split ?? inWorker({ bytes, name: file.name, country });
  }
  await new Promise((r) => setTimeout(r, 0));
  const [{ parseContactsFile }, { prepareContacts }] = await Promise.all([
    import('../../../shared/contacts-import/parse'),
    import('../../../shared/contacts-import/prepare'),
  ]);
  const parsed = parseContactsFile(new Uint8Array(bytes), file.name);
  return { format: parsed.format, prepared: prepareContacts(parsed, country) };
}

/** The Contact Picker API (Chrome on Android): what `navigator.contacts.select` returns. */
interface PickedContact {
  name?: string[];
  tel?: string[];
  email?: string[];
}

interface ContactsManager {
  select(properties: string[], options: { multiple: boolean }): Promise<PickedContact[]>;
}

/** Whether this browser lets the user pick contacts from the device. */
export function canPickContacts(): boolean {
  return typeof navigator !== 'undefined' && 'contacts' in navigator && typeof window !== 'undefined' && 'ContactsManager' in window;
}

/** Lets the user choose contacts from the device's address book. */
export async function pickDeviceContacts(country: string): Promise<ReadFile> {
  const manager = (navigator as Navigator & { contacts: ContactsManager }).contacts;
  const picked = await manager.select(['name', 'tel', 'email'], { multiple: true });
  const contacts: ParsedContact[] = picked.map((p) => ({
    firstName: p.name?.[0]?.trim() ?? '',
    lastName: '',
    company: '',
    numbers: (p.tel ?? []).map((value) => ({ label: 'mobile' as const, value })),
    emails: (p.email ?? []).map((value) => ({ label: 'other' as const, value })),
  }));
  const { prepareContacts } = await import('../../../shared/contacts-import/prepare');
  const withNumbers = contacts.filter((c) => c.numbers.length > 0);
  const origins = withNumbers.map((_, i) => `contact ${i + 1}`);
  const skipped = contacts
    .filter((c) => c.numbers.length === 0)
    .map((c, i) => ({
      where: `chosen contact ${i + 1}`,
      reason: 'no_phone_number' as const,
      ...(c.firstName ? { name: c.firstName } : {}),
    }));
  return { format: 'device', prepared: prepareContacts({ format: 'device', contacts: withNumbers, origins, skipped }, country) };
}
