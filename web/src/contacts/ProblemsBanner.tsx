import { displayName } from '../../../shared/contacts-names';
import type { OutboxEntry } from '../storage/contacts-db';
import { syncStatus } from '../storage/contacts-sync';
import { contactHref } from './contact-links';

/** The name an unsaved edit is about: from the edit, else the server's copy. */
export function entryName(entry: OutboxEntry): string {
  if (entry.fields) {
    const f = entry.fields;
    return displayName({ firstName: f.firstName ?? '', lastName: f.lastName ?? '', company: f.company ?? '', numbers: f.numbers });
  }
  return entry.current ? displayName(entry.current) : entry.base ? displayName(entry.base) : 'A contact';
}

/** Edits the server did not take, listed until the user decides about each. */
export function ProblemsBanner() {
  const problems = syncStatus.value.problems;
  if (problems.length === 0) return null;
  return (
    <div class="notice contact-problems" role="status">
      <p>{problems.length === 1 ? 'One change was not saved' : `${problems.length} changes were not saved`}: it needs your decision.</p>
      <ul>
        {problems.map((p) => (
          <li key={p.seq}>
            {p.kind === 'delete' && p.state === 'conflict' ? (
              <span>
                Deleting {entryName(p)} (changed on another device). <a href={contactHref(p.contactId)}>Review</a>
              </span>
            ) : (
              <a href={contactHref(p.contactId)}>{entryName(p)}</a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
