import { useEffect, useMemo, useState } from 'preact/hooks';
import { contactsRevision, loadContacts } from '../storage/contacts-store';
import { contactsReady } from '../storage/contacts-sync';
import type { LocalContact } from '../storage/local-contact';
import { buildIndex, type SearchIndex } from './search-index';

export type ContactsState =
  | { status: 'loading' }
  | { status: 'unavailable' }
  | { status: 'ready'; contacts: ReadonlyMap<string, LocalContact>; revision: number };

/**
 * The device's contacts for a screen, re-read whenever they change. The
 * first use loads them from IndexedDB (once per page).
 */
export function useContacts(): ContactsState {
  const revision = contactsRevision.value;
  const [state, setState] = useState<ContactsState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    if (typeof indexedDB === 'undefined') {
      setState({ status: 'unavailable' });
      return;
    }
    contactsReady()
      .then(loadContacts)
      .then(
        (contacts) => live && setState({ status: 'ready', contacts, revision }),
        () => live && setState({ status: 'unavailable' }),
      );
    return () => {
      live = false;
    };
  }, [revision]);
  return state;
}

/** The search index over the contacts, rebuilt when they change (at most every 300 ms while changes stream in). */
export function useSearchIndex(state: ContactsState): SearchIndex | undefined {
  const revision = state.status === 'ready' ? state.revision : -1;
  const [settled, setSettled] = useState(revision);
  useEffect(() => {
    if (settled === -1 || revision === -1) return setSettled(revision);
    const timer = setTimeout(() => setSettled(revision), 300);
    return () => clearTimeout(timer);
  }, [revision]);
  return useMemo(() => (state.status === 'ready' ? buildIndex(state.contacts.values()) : undefined), [settled, state.status === 'ready']);
}
