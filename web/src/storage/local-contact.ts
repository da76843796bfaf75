import type { Contact } from '../../../shared/contacts-api';
import { sortKey } from '../../../shared/contacts-names';

/**
 * A contact as this device keeps it: the API's contact plus what the list
 * and caller identity need, computed once when it is stored.
 */
export interface LocalContact extends Contact {
  /** The list's order within favourites and the rest (folded display name). */
  sortKey: string;
  /** Its numbers in E.164: the multi-entry index caller identity looks up. */
  e164s: string[];
  /** An edit made here that the server has not confirmed yet. */
  pending?: true;
}

/** A contact from the server (or edited here, `pending`) as stored locally. */
export function toLocal(contact: Contact, pending = false): LocalContact {
  const local: LocalContact = { ...contact, sortKey: sortKey(contact), e164s: [...new Set(contact.numbers.map((n) => n.e164))] };
  if (pending) local.pending = true;
  return local;
}

/** The API's contact, without the local bookkeeping. */
export function toContact(local: LocalContact): Contact {
  const { sortKey: _sortKey, e164s: _e164s, pending: _pending, ...contact } = local;
  return contact;
}

/** The order of the list: favourites first, then by name, then by id (stable). */
export function compareContacts(a: LocalContact, b: LocalContact): number {
  if (a.favourite !== b.favourite) return a.favourite ? -1 : 1;
  if (a.sortKey !== b.sortKey) return a.sortKey < b.sortKey ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
