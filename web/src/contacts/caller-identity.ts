/**
 * Caller identity for the incoming-call screen and the history: whose
 * number this is, answered from the device's copy (IndexedDB), so it works
 * offline and costs no request while the phone rings.
 */
import { displayName } from '../../../shared/contacts-names';
import { me } from '../auth/session';
import { ownerKey } from '../auth/user-change';
import { getMeta } from '../storage/contacts-db';
import { contactByE164, contactsByE164 } from '../storage/contacts-store';
import type { LocalContact } from '../storage/local-contact';

/** What a ringing phone or a history row shows about a caller in the contacts. */
export interface CallerIdentity {
  contactId: string;
  /** Full name, else company, else the number. */
  name: string;
  company: string;
  favourite: boolean;
}

/** The user's contact with this E.164 number, or undefined (unknown, signed out, or no IndexedDB). */
export async function lookupContactByNumber(e164: string): Promise<CallerIdentity | undefined> {
  const user = me.value;
  if (!user || typeof indexedDB === 'undefined' || !e164) return undefined;
  try {
    // Never another user's contacts: the store must belong to whoever is signed in now.
    if ((await getMeta('owner')) !== ownerKey(user)) return undefined;
    const contact = await contactByE164(e164);
    return contact && identityOf(contact);
  } catch {
    return undefined;
  }
}

/** {@link lookupContactByNumber} for many numbers at once (the voicemail inbox): one read of the store. Unknown numbers are left out. */
export async function lookupContactsByNumber(numbers: readonly string[]): Promise<Map<string, CallerIdentity>> {
  const found = new Map<string, CallerIdentity>();
  const user = me.value;
  const wanted = numbers.filter(Boolean);
  if (!user || typeof indexedDB === 'undefined' || wanted.length === 0) return found;
  try {
    if ((await getMeta('owner')) !== ownerKey(user)) return found;
    for (const [e164, contact] of await contactsByE164(wanted)) found.set(e164, identityOf(contact));
  } catch {
    // As one unknown number: no names, the numbers show instead.
  }
  return found;
}

function identityOf(contact: LocalContact): CallerIdentity {
  return { contactId: contact.id, name: displayName(contact), company: contact.company, favourite: contact.favourite };
}
