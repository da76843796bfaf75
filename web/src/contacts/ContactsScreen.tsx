import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { displayName, sectionLetter } from '../../../shared/contacts-names';
import { EmptyState, Screen } from '../app/Screen';
import { CallLink } from '../dialer/CallLink';
import type { LocalContact } from '../storage/local-contact';
import { contactHref } from './contact-links';
import { ProblemsBanner } from './ProblemsBanner';
import { SyncNote } from './SyncNote';
import { search } from './search-index';
import { useContacts, useSearchIndex } from './use-contacts';

/** Rows rendered at first and per "show more": enough to fill a screen, few enough to stay instant. */
const PAGE = 100;

interface Section {
  key: string;
  title: string;
  contacts: LocalContact[];
}

/** Consecutive contacts grouped under Favourites, then a letter each. */
function sectionsOf(list: readonly LocalContact[]): Section[] {
  const sections: Section[] = [];
  for (const c of list) {
    const title = c.favourite ? 'Favourites' : c.sortKey.startsWith('\uffff') ? 'No name' : sectionLetter(c.sortKey);
    const last = sections.at(-1);
    if (last?.title === title) last.contacts.push(c);
    else sections.push({ key: `${sections.length}-${title}`, title, contacts: [c] });
  }
  return sections;
}

/** What the row shows under the name. */
function subtitle(c: LocalContact): string {
  const name = `${c.firstName} ${c.lastName}`.trim();
  return [name && c.company, c.numbers[0]?.value].filter(Boolean).join(' · ');
}

/** The contacts list: instant search on this device, favourites first, then A to Z. */
export function ContactsScreen() {
  const state = useContacts();
  const index = useSearchIndex(state);
  const [query, setQuery] = useState('');
  const [shown, setShown] = useState(PAGE);
  const typedAt = useRef<number | null>(null);
  const more = useRef<HTMLButtonElement>(null);
  const results = useMemo(() => (index ? search(index, query) : []), [index, query]);
  const sections = useMemo(() => sectionsOf(results.slice(0, shown)), [results, shown]);

  // How long a keystroke takes to become a rendered list (read by the benchmark).
  useLayoutEffect(() => {
    if (typedAt.current === null) return;
    try {
      performance.measure('contacts-search', { start: typedAt.current, end: performance.now() });
    } catch {
      // User Timing with options is missing in old browsers: only the figure is lost.
    }
    typedAt.current = null;
  }, [results]);

  // Scrolling to the end shows more, as the button would.
  useEffect(() => {
    const button = more.current;
    if (!button || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setShown((s) => s + PAGE);
    });
    observer.observe(button);
    return () => observer.disconnect();
  }, [results, shown]);

  const total = state.status === 'ready' ? state.contacts.size : 0;
  return (
    <Screen title="Contacts">
      <div class="contacts-actions">
        <a class="button" href="/contacts/new">
          Add contact
        </a>
        <a class="button secondary" href="/contacts/import">
          Import
        </a>
        <a class="button secondary" href="/contacts/export">
          Export
        </a>
      </div>
      <SyncNote />
      <ProblemsBanner />
      {state.status === 'loading' && (
        <p class="loading" role="status">
          Loading your contacts…
        </p>
      )}
      {state.status === 'unavailable' && (
        <EmptyState>This browser cannot keep contacts on the device (private browsing may block it).</EmptyState>
      )}
      {state.status === 'ready' && total === 0 && (
        <EmptyState>
          No contacts yet. <a href="/contacts/new">Add one</a>, or <a href="/contacts/import">import them</a> from your phone or a vCard or
          CSV file.
        </EmptyState>
      )}
      {state.status === 'ready' && total > 0 && (
        <>
          <search class="contacts-search">
            <label class="visually-hidden" for="contacts-query">
              Search contacts
            </label>
            <input
              id="contacts-query"
              type="search"
              placeholder={`Search ${total.toLocaleString()} contacts by name, company or number`}
              autoComplete="off"
              value={query}
              onInput={(e) => {
                typedAt.current = performance.now();
                setQuery(e.currentTarget.value);
                setShown(PAGE);
              }}
            />
          </search>
          <p class="visually-hidden" role="status">
            {query ? `${results.length} contacts match` : ''}
          </p>
          {results.length === 0 && <p class="muted">No contacts match “{query}”.</p>}
          {sections.map((section) => (
            <section key={section.key} class="contact-section" aria-labelledby={`contacts-${section.key}`}>
              <h2 id={`contacts-${section.key}`}>{section.title}</h2>
              <ul class="contact-list">
                {section.contacts.map((c) => (
                  <ContactRow key={c.id} contact={c} />
                ))}
              </ul>
            </section>
          ))}
          {results.length > shown && (
            <button ref={more} type="button" class="secondary contacts-more" onClick={() => setShown(shown + PAGE)}>
              Show more ({(results.length - shown).toLocaleString()} more)
            </button>
          )}
        </>
      )}
    </Screen>
  );
}

function ContactRow({ contact }: { contact: LocalContact }) {
  const name = displayName(contact);
  const first = contact.numbers[0];
  return (
    <li class="contact-row">
      <a class="contact-link" href={contactHref(contact.id)}>
        <span class="contact-name">{name}</span>
        <span class="contact-sub muted">{subtitle(contact)}</span>
        {contact.pending && <span class="badge">Not yet sent</span>}
      </a>
      {first?.e164 && (
        <CallLink class="call-link" target={first.e164} label={`Call ${name}`}>
          <span aria-hidden="true">☎</span>
        </CallLink>
      )}
    </li>
  );
}
