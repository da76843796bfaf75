import { contactToVCard } from '../../shared/contacts-import/vcard-export';
import { listContacts } from './queries';
import type { Owner } from './rows';

/** Contacts per page read while streaming an export. */
const PAGE = 200;

/**
 * The user's contacts as one vCard 4.0 file, streamed: a page of contacts is
 * read only when the client has taken the previous one, so 50,000 contacts
 * never sit in the Worker's memory at once.
 */
export function exportStream(db: D1Database, owner: Owner): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let finished = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (finished) return controller.close();
      const page = await listContacts(db, owner, { cursor, limit: PAGE });
      controller.enqueue(encoder.encode(page.contacts.map(contactToVCard).join('')));
      cursor = page.next ?? undefined;
      if (!page.next) {
        finished = true;
        controller.close();
      }
    },
  });
}
