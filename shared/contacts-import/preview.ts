/** The import preview's counts, kept apart from `prepare.ts` so the page can show them without loading libphonenumber. */
import type { Prepared } from './prepare';

/** The preview: how many contacts are new, how many duplicate one (to merge or skip), how many are left out. */
export interface ImportPreview {
  new: number;
  duplicates: number;
  skipped: number;
}

/**
 * Counts new and duplicate contacts. A duplicate shares an E.164 number with
 * a contact the user has (`existing`) or with an earlier one in the file.
 */
export function previewImport(prepared: Prepared, existing: (e164: string) => boolean): ImportPreview {
  const inFile = new Set<string>();
  let fresh = 0;
  let duplicates = 0;
  for (const c of prepared.contacts) {
    if (c.e164s.some((e) => existing(e) || inFile.has(e))) duplicates++;
    else fresh++;
    for (const e of c.e164s) inFile.add(e);
  }
  return { new: fresh, duplicates, skipped: prepared.skipped.length };
}
