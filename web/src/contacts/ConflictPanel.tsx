import { useState } from 'preact/hooks';
import type { Contact } from '../../../shared/contacts-api';
import { displayName } from '../../../shared/contacts-names';
import type { OutboxEntry } from '../storage/contacts-db';
import { resolveProblem } from '../storage/contacts-edits';
import { LABEL_TEXT } from './contact-links';

type Side = Pick<Contact, 'firstName' | 'lastName' | 'company'> & {
  numbers: Array<{ label?: string; value: string }>;
  emails?: Array<{ label?: string; value: string }>;
};

/** A contact's fields as short lines, to set the two versions side by side. */
function lines(c: Side | null | undefined): string[] {
  if (!c) return ['(deleted)'];
  return [
    `${c.firstName ?? ''} ${c.lastName ?? ''}`.trim() || '(no name)',
    ...(c.company ? [c.company] : []),
    ...c.numbers.map((n) => `${LABEL_TEXT[n.label ?? 'mobile'] ?? n.label}: ${n.value}`),
    ...(c.emails ?? []).map((e) => e.value),
  ];
}

/**
 * An edit the server did not take, and the user's two choices. The server's
 * copy is what the device shows meanwhile; the edit is never dropped
 * without the user saying so.
 */
export function ConflictPanel({ entry }: { entry: OutboxEntry }) {
  const [busy, setBusy] = useState(false);
  const act = async (action: 'apply' | 'discard') => {
    setBusy(true);
    try {
      await resolveProblem(entry, action);
    } finally {
      setBusy(false);
    }
  };
  const deleting = entry.kind === 'delete';
  let title: string;
  let apply: string;
  let discard: string;
  if (entry.state === 'failed') {
    title = `Your change was not saved: ${entry.problem?.detail ?? entry.problem?.title ?? 'the server refused it'}`;
    apply = 'Try again';
    discard = 'Discard my change';
  } else if (deleting) {
    title = 'You deleted this contact, but it was changed on another device meanwhile.';
    apply = 'Delete it anyway';
    discard = 'Keep the contact';
  } else if (entry.current === null) {
    title = 'This contact was deleted on another device while you were editing it.';
    apply = 'Keep it, with my edit';
    discard = 'Let it go';
  } else {
    title = 'This contact was changed on another device while you were editing it. Your edit was not saved.';
    apply = 'Use my edit';
    discard = 'Keep the other version';
  }
  const theirs = entry.current;
  return (
    <section class="conflict" role="alert" aria-labelledby={`conflict-${entry.seq}`}>
      <h2 id={`conflict-${entry.seq}`}>{entry.state === 'failed' ? 'Not saved' : 'Changed in two places'}</h2>
      <p>{title}</p>
      {entry.state === 'conflict' && !deleting && (
        <div class="conflict-sides">
          <div>
            <h3>Your edit</h3>
            <ul>
              {lines(entry.fields as Side | undefined).map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          </div>
          <div>
            <h3>{theirs ? `Now on your account (${displayName(theirs)})` : 'Now on your account'}</h3>
            <ul>
              {lines(theirs).map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
      <div class="form-actions">
        <button type="button" disabled={busy} onClick={() => void act('apply')}>
          {apply}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void act('discard')}>
          {discard}
        </button>
      </div>
    </section>
  );
}
