/**
 * Caller identity for the incoming-call screen and the history: whose
 * number this is, answered from the device's copy (IndexedDB), so it works
 * offline and costs no request while the phone rings.
 */
import { displayName } from '../../../shared/contacts-names';
import { me } from '../auth/session';
import { ownerKey } from '../auth/user-change';
import { getMeta } from '../storage/contacts-db';
import { contactByE164 } from '../storage/contacts-store';

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
    return contact && { contactId: contact.id, name: displayName(contact), company: contact.company, favourite: contact.favourite };
  } catch {
    return undefined;
  }
}
