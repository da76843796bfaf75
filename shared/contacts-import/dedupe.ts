/**
 * Duplicates within one file, settled before anything is sent: an entry
 * sharing an E.164 number with an earlier one is merged into it (mode
 * `merge`) or left out (mode `skip`). The server only has to compare with
 * contacts it already holds, so batches can travel in parallel.
 */
import { CONTACT_EMAILS_MAX, CONTACT_NUMBERS_MAX } from '../contacts-limits';
import type { PreparedContact } from './prepare';
import { nameOf, type SkippedEntry } from './types';

export interface Deduplicated {
  contacts: PreparedContact[];
  /** Entries merged into an earlier one of the file. */
  merged: number;
  /** Entries left out as duplicates (mode skip). */
  skipped: SkippedEntry[];
}

function mergeInto(into: PreparedContact, from: PreparedContact): void {
  for (const field of ['firstName', 'lastName', 'company'] as const) if (!into[field]) into[field] = from[field];
  from.numbers.forEach((n, i) => {
    const e164 = from.e164s[i] as string;
    if (into.e164s.includes(e164) || into.numbers.length >= CONTACT_NUMBERS_MAX) return;
    into.numbers.push(n);
    into.e164s.push(e164);
  });
  const emails = new Set(into.emails.map((e) => e.value.toLowerCase()));
  for (const e of from.emails) {
    if (emails.has(e.value.toLowerCase()) || into.emails.length >= CONTACT_EMAILS_MAX) continue;
    into.emails.push(e);
    emails.add(e.value.toLowerCase());
  }
  if (from.favourite) into.favourite = true;
}

/** The file's contacts with its own duplicates merged or left out (the input is not changed). */
export function dedupeWithinFile(contacts: readonly PreparedContact[], mode: 'merge' | 'skip'): Deduplicated {
  const out: Deduplicated = { contacts: [], merged: 0, skipped: [] };
  const owner = new Map<string, PreparedContact>();
  for (const original of contacts) {
    const first = original.e164s.map((e) => owner.get(e)).find((c) => c !== undefined);
    if (!first) {
      const copy: PreparedContact = {
        ...original,
        numbers: [...original.numbers],
        emails: [...original.emails],
        e164s: [...original.e164s],
      };
      out.contacts.push(copy);
      for (const e of copy.e164s) owner.set(e, copy);
      continue;
    }
    if (mode === 'skip') {
      const skip: SkippedEntry = { where: original.origin, reason: 'duplicate', detail: `the same number as ${first.origin}` };
      const name = nameOf(original);
      if (name) skip.name = name;
      out.skipped.push(skip);
      continue;
    }
    mergeInto(first, original);
    for (const e of first.e164s) if (!owner.has(e)) owner.set(e, first);
    out.merged++;
  }
  return out;
}
