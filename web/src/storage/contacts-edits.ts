/**
 * What the screens call to change contacts. Every edit lands on this device
 * at once and is sent when the network allows; conflicts and refusals come
 * back to the user through `syncStatus.problems`, never silently dropped.
 */
import type { ContactFieldsInput } from '../../../shared/contacts-api';
import type { ContactSource } from '../../../shared/contacts-limits';
import { me } from '../auth/session';
import type { OutboxEntry } from './contacts-db';
import { getLocalContact } from './contacts-store';
import { refreshOutboxStatus, syncNow } from './contacts-sync';
import type { LocalContact } from './local-contact';
import { dropEntry, queueCreate, queueDelete, queueFavourite, queueUpdate, saveEntry, shownFor } from './outbox';

const country = () => me.value?.business.country ?? 'GB';

async function queued<T>(result: T): Promise<T> {
  await refreshOutboxStatus();
  void syncNow();
  return result;
}

/** Adds a contact (here at once, on the server when online). */
export async function addContact(fields: ContactFieldsInput, source: ContactSource = 'app'): Promise<LocalContact> {
  return queued(await queueCreate(fields, country(), source));
}

/** Saves an edit of the whole contact. */
export async function editContact(id: string, fields: ContactFieldsInput): Promise<LocalContact> {
  return queued(await queueUpdate(id, fields, country()));
}

/** Deletes a contact. */
export async function removeContact(id: string): Promise<void> {
  return queued(await queueDelete(id));
}

/** Stars or unstars a contact. */
export async function starContact(id: string, favourite: boolean): Promise<void> {
  return queued(await queueFavourite(id, favourite));
}

/**
 * The user's answer to a conflict or a refusal. `apply` sends their edit
 * again on top of what the server has now (a deletion elsewhere is undone,
 * a newer version is overwritten); `discard` keeps the server's copy.
 */
export async function resolveProblem(entry: OutboxEntry, action: 'apply' | 'discard'): Promise<void> {
  if (action === 'discard') {
    if (entry.state === 'conflict') await dropEntry(entry);
    else if (entry.kind === 'create') await dropEntry(entry, null);
    else if (entry.kind === 'favourite') {
      const local = await getLocalContact(entry.contactId);
      await dropEntry(entry, local ? { ...local, favourite: !entry.favourite } : undefined);
    } else await dropEntry(entry, entry.base ?? undefined);
    return queued(undefined);
  }
  let next: OutboxEntry = { ...entry, state: 'pending', attempts: 0 };
  delete next.problem;
  if (entry.state === 'conflict') {
    if (entry.kind === 'delete') next = { ...next, baseVersion: entry.currentVersion ?? entry.baseVersion };
    else if (entry.currentVersion !== undefined)
      next = { ...next, kind: 'update', baseVersion: entry.currentVersion, base: entry.current ?? null };
    // Not on the server at all any more: make it again, under the same id.
    else next = { ...next, kind: 'create', base: null };
  }
  delete next.current;
  delete next.currentVersion;
  if (next.kind === 'delete') await saveEntry(next, { remove: true });
  else await saveEntry(next, { put: shownFor(next, country(), await getLocalContact(entry.contactId)) });
  return queued(undefined);
}
