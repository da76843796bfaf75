import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { displayName } from '../../../shared/contacts-names';
import { Screen } from '../app/Screen';
import { CallLink } from '../dialer/CallLink';
import { removeContact, starContact } from '../storage/contacts-edits';
import { syncStatus } from '../storage/contacts-sync';
import { ConflictPanel } from './ConflictPanel';
import { editHref, LABEL_TEXT, textHref } from './contact-links';
import { useContacts } from './use-contacts';

/** One contact: call or text any number in one tap, star, edit, delete; and any edit waiting for a decision. */
export function ContactDetailScreen() {
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id ?? '';
  const state = useContacts();
  const [confirming, setConfirming] = useState(false);
  const problems = syncStatus.value.problems.filter((p) => p.contactId === id);
  const contact = state.status === 'ready' ? state.contacts.get(id) : undefined;

  if (state.status === 'loading') {
    return (
      <Screen title="Contact">
        <p class="loading" role="status">
          Loading…
        </p>
      </Screen>
    );
  }
  if (!contact) {
    return (
      <Screen title="Contact not found">
        {problems.map((p) => (
          <ConflictPanel key={p.seq} entry={p} />
        ))}
        <p>
          This contact is not on this device: it may have been deleted. <a href="/contacts">Back to contacts</a>
        </p>
      </Screen>
    );
  }

  const name = displayName(contact);
  return (
    <Screen title={name}>
      <p>
        <a href="/contacts">← All contacts</a>
      </p>
      {problems.map((p) => (
        <ConflictPanel key={p.seq} entry={p} />
      ))}
      {contact.pending && (
        <p class="muted" role="status">
          Saved on this device; it will be sent to your account when you are online.
        </p>
      )}
      {contact.company && `${contact.firstName} ${contact.lastName}`.trim() && <p class="contact-company">{contact.company}</p>}
      <ul class="contact-numbers">
        {contact.numbers.map((n) => (
          <li key={`${n.label}:${n.value}`} class="contact-number">
            <span class="contact-number-text">
              <span class="muted">{LABEL_TEXT[n.label] ?? n.label}</span>
              <span>{n.value}</span>
            </span>
            {n.e164 && (
              <span class="contact-number-actions">
                <CallLink
                  class="button call-button"
                  target={n.e164}
                  label={`Call ${name}, ${LABEL_TEXT[n.label]?.toLowerCase()} ${n.value}`}
                >
                  Call
                </CallLink>
                <a
                  class="button secondary"
                  href={textHref(n.e164)}
                  aria-label={`Text ${name}, ${LABEL_TEXT[n.label]?.toLowerCase()} ${n.value}`}
                >
                  Text
                </a>
              </span>
            )}
          </li>
        ))}
      </ul>
      {contact.emails.length > 0 && (
        <ul class="contact-emails">
          {contact.emails.map((e) => (
            <li key={e.value}>
              <span class="muted">{LABEL_TEXT[e.label] ?? e.label}</span> <a href={`mailto:${e.value}`}>{e.value}</a>
            </li>
          ))}
        </ul>
      )}
      <div class="form-actions">
        <button
          type="button"
          class="secondary"
          aria-pressed={contact.favourite}
          onClick={() => void starContact(contact.id, !contact.favourite)}
        >
          {contact.favourite ? '★ Favourite' : '☆ Add to favourites'}
        </button>
        <a class="button secondary" href={editHref(contact.id)}>
          Edit
        </a>
        {!confirming && (
          <button type="button" class="secondary danger" onClick={() => setConfirming(true)}>
            Delete
          </button>
        )}
      </div>
      {confirming && (
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-delete">
          <p id="confirm-delete">Delete {name} from all your devices?</p>
          <div class="form-actions">
            <button
              type="button"
              class="danger"
              onClick={() => {
                void removeContact(contact.id).then(() => route('/contacts'));
              }}
            >
              Delete
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </Screen>
  );
}
