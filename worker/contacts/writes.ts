/** Creating, changing and deleting one contact: each is one D1 batch, versioned and sequenced. */
import type { Contact } from '../../shared/contacts-api';
import { CONTACTS_PER_USER_MAX, type ContactSource } from '../../shared/contacts-limits';
import { sha256Hex } from '../auth/tokens';
import { problems } from '../platform/problem';
import { newContactId } from './ids';
import type { NormalisedContact } from './normalise';
import { contactLimit, VersionConflict } from './problems';
import { getRow, liveCount } from './queries';
import { type ContactRow, type Owner, toContact } from './rows';
import {
  bumpSeq,
  CURRENT_SEQ,
  childRows,
  clearChildren,
  ERASE_COLUMNS,
  type Guard,
  insertContacts,
  insertEmails,
  insertNumbers,
} from './statements';

/** The contact as the API returns it, built from what was just written. */
function built(
  id: string,
  c: NormalisedContact,
  meta: { source: ContactSource; version: number; createdAt: number; updatedAt: number },
): Contact {
  return {
    id,
    firstName: c.firstName,
    lastName: c.lastName,
    company: c.company,
    numbers: c.numbers.map((n) => ({ label: n.label, value: n.typed, e164: n.e164 })),
    emails: c.emails,
    source: meta.source,
    favourite: c.favourite,
    version: meta.version,
    createdAt: meta.createdAt,
    updatedAt: meta.updatedAt,
  };
}

/** The id a create gets from its `Idempotency-Key`: the same key always names the same contact. */
export async function idForKey(key: string): Promise<string> {
  return `ct_${(await sha256Hex(`idempotency:${key}`)).slice(0, 32)}`;
}

/** A create that had already happened: the contact as it is now, or a conflict if it was deleted since. */
function replayed(row: ContactRow): Contact {
  if (row.deleted_at !== null) throw new VersionConflict(null, row.version);
  return toContact(row);
}

/**
 * Creates a contact. The id comes from the device (or its Idempotency-Key),
 * so a retry finds the first attempt's contact and returns it (`created: false`).
 */
export async function createContact(
  db: D1Database,
  owner: Owner,
  input: { id: string | undefined; source: ContactSource; contact: NormalisedContact },
): Promise<{ contact: Contact; created: boolean }> {
  const id = input.id ?? newContactId();
  const existing = await getRow(db, owner, id);
  if (existing) return { contact: replayed(existing), created: false };
  const have = await liveCount(db, owner);
  if (have + 1 > CONTACTS_PER_USER_MAX) throw contactLimit(have, 1);

  const now = Date.now();
  const children = childRows(id, input.contact);
  try {
    await db.batch([
      bumpSeq(db, owner, 1),
      insertContacts(db, owner, [{ id, contact: input.contact, offset: 1 }], { total: 1, source: input.source, importId: null, now }),
      insertNumbers(db, owner, children.numbers, null),
      insertEmails(db, owner, children.emails, null),
    ]);
  } catch (e) {
    // Two copies of the same create racing: the loser answers with the winner's contact.
    const raced = await getRow(db, owner, id);
    if (raced) return { contact: replayed(raced), created: false };
    throw e;
  }
  return { contact: built(id, input.contact, { source: input.source, version: 1, createdAt: now, updatedAt: now }), created: true };
}

/** Why a conditional change touched nothing: no such contact (404) or another version (409 with the current one). */
async function explainMiss(db: D1Database, owner: Owner, id: string): Promise<never> {
  const row = await getRow(db, owner, id);
  if (!row) throw problems.notFound('contact');
  throw new VersionConflict(row.deleted_at === null ? toContact(row) : null, row.version);
}

interface UpdatedRow {
  source: ContactSource;
  version: number;
  created_at: number;
  updated_at: number;
}

/**
 * Replaces a contact's fields if it is still at `baseVersion`. A tombstone
 * at that version comes back to life: the user chose to keep their edit
 * after learning it had been deleted elsewhere.
 */
export async function updateContact(db: D1Database, owner: Owner, id: string, baseVersion: number, c: NormalisedContact): Promise<Contact> {
  const guard: Guard = { contactId: id, version: baseVersion };
  const children = childRows(id, c);
  const now = Date.now();
  const results = await db.batch([
    bumpSeq(db, owner, 1),
    ...clearChildren(db, owner, id, guard),
    insertNumbers(db, owner, children.numbers, null, guard),
    insertEmails(db, owner, children.emails, null, guard),
    db
      .prepare(
        `UPDATE contacts SET first_name = ?4, last_name = ?5, company = ?6, sort_key = ?7, search_text = ?8, favourite = ?9,
                             version = version + 1, seq = ${CURRENT_SEQ}, updated_at = ?10, deleted_at = NULL
          WHERE business_id = ?1 AND user_id = ?2 AND id = ?3 AND version = ?11
          RETURNING source, version, created_at, updated_at`,
      )
      .bind(
        owner.businessId,
        owner.userId,
        id,
        c.firstName,
        c.lastName,
        c.company,
        c.sortKey,
        c.searchText,
        c.favourite ? 1 : 0,
        now,
        baseVersion,
      ),
  ]);
  const row = (results.at(-1)?.results as UpdatedRow[] | undefined)?.[0];
  if (!row) return explainMiss(db, owner, id);
  return built(id, c, { source: row.source, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at });
}

/**
 * Deletes a contact at `baseVersion`: a tombstone with a new version and
 * sequence, its names, numbers and emails erased. Deleting what is already
 * deleted succeeds (a retried delete); a newer version is a conflict.
 */
export async function deleteContact(db: D1Database, owner: Owner, id: string, baseVersion: number): Promise<void> {
  const guard: Guard = { contactId: id, version: baseVersion, live: true };
  const results = await db.batch([
    bumpSeq(db, owner, 1),
    ...clearChildren(db, owner, id, guard),
    db
      .prepare(
        `UPDATE contacts SET ${ERASE_COLUMNS}, favourite = 0, version = version + 1, seq = ${CURRENT_SEQ}, updated_at = ?4, deleted_at = ?4
          WHERE business_id = ?1 AND user_id = ?2 AND id = ?3 AND version = ?5 AND deleted_at IS NULL`,
      )
      .bind(owner.businessId, owner.userId, id, Date.now(), baseVersion),
  ]);
  if ((results.at(-1)?.meta.changes ?? 0) > 0) return;
  const row = await getRow(db, owner, id);
  if (row?.deleted_at != null) return;
  await explainMiss(db, owner, id);
}

/**
 * Stars or unstars a contact. One flag, set rather than toggled, so it needs
 * no version: two devices starring at once agree. It still bumps the version.
 */
export async function setFavourite(db: D1Database, owner: Owner, id: string, favourite: boolean): Promise<Contact> {
  await db.batch([
    bumpSeq(db, owner, 1),
    db
      .prepare(
        `UPDATE contacts SET favourite = ?4, version = version + 1, seq = ${CURRENT_SEQ}, updated_at = ?5
          WHERE business_id = ?1 AND user_id = ?2 AND id = ?3 AND deleted_at IS NULL AND favourite != ?4`,
      )
      .bind(owner.businessId, owner.userId, id, favourite ? 1 : 0, Date.now()),
  ]);
  const row = await getRow(db, owner, id);
  if (!row || row.deleted_at !== null) throw problems.notFound('contact');
  return toContact(row);
}
