/**
 * The write statements every contact change is built from. Each change is
 * one D1 batch (one transaction): the user's change counter is bumped first
 * and the changed rows take their `seq` from it, so the sync cursor never
 * skips a change and two changes never share a sequence number.
 */
import type { NormalisedContact } from './normalise';
import type { Owner } from './rows';

/** The user's counter as it stands inside the batch. */
export const CURRENT_SEQ = '(SELECT last_seq FROM contact_sync WHERE business_id = ?1 AND user_id = ?2)';

/** Bumps the user's change counter by `count`; RETURNING gives the new value. */
export function bumpSeq(db: D1Database, owner: Owner, count: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO contact_sync (business_id, user_id, last_seq) VALUES (?1, ?2, ?3)
       ON CONFLICT (business_id, user_id) DO UPDATE SET last_seq = last_seq + excluded.last_seq
       RETURNING last_seq`,
    )
    .bind(owner.businessId, owner.userId, count);
}

/** A new contact to insert; `offset` (1…n) places its seq within the batch's bump of n. */
export interface NewContact {
  id: string;
  contact: NormalisedContact;
  offset: number;
}

/**
 * Inserts many contacts with one statement: the rows travel as one JSON
 * parameter (D1 caps bound parameters per statement, not their size).
 */
export function insertContacts(
  db: D1Database,
  owner: Owner,
  rows: NewContact[],
  meta: { total: number; source: string; importId: string | null; now: number },
): D1PreparedStatement {
  const json = JSON.stringify(
    rows.map(({ id, contact: c, offset }) => [
      id,
      c.firstName,
      c.lastName,
      c.company,
      c.sortKey,
      c.searchText,
      c.favourite ? 1 : 0,
      offset,
    ]),
  );
  return db
    .prepare(
      `INSERT INTO contacts (business_id, user_id, id, first_name, last_name, company, sort_key, search_text, source,
                             favourite, version, seq, import_id, created_at, updated_at)
       SELECT ?1, ?2, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'),
              json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]'), json_extract(j.value, '$[5]'), ?3,
              json_extract(j.value, '$[6]'), 1, ${CURRENT_SEQ} - ?4 + json_extract(j.value, '$[7]'), ?5, ?6, ?6
         FROM json_each(?7) AS j`,
    )
    .bind(owner.businessId, owner.userId, meta.source, meta.total, meta.importId, meta.now, json);
}

/** Only while the contact still has the version the change was based on (set in the same batch's guard). */
export interface Guard {
  contactId: string;
  version: number;
  /** Also require it to be live (a deletion), not a tombstone. */
  live?: boolean;
}

/** The guard as a condition; its two parameters are numbered from `first`. */
function guardCondition(guard: Guard, first: number): string {
  const live = guard.live ? ' AND deleted_at IS NULL' : '';
  return `EXISTS (SELECT 1 FROM contacts WHERE business_id = ?1 AND user_id = ?2 AND id = ?${first} AND version = ?${first + 1}${live})`;
}

function guardSql(guard: Guard | undefined, first: number): string {
  return guard ? ` WHERE ${guardCondition(guard, first)}` : '';
}

function guardBinds(guard: Guard | undefined): unknown[] {
  return guard ? [guard.contactId, guard.version] : [];
}

/** A number row to insert: which contact, at which position. */
export interface NumberRow {
  contactId: string;
  position: number;
  number: NormalisedContact['numbers'][number];
}

/** Inserts number rows (one JSON parameter); `importId` marks numbers merged in by an import. */
export function insertNumbers(db: D1Database, owner: Owner, rows: NumberRow[], importId: string | null, guard?: Guard) {
  const json = JSON.stringify(rows.map((r) => [r.contactId, r.position, r.number.label, r.number.typed, r.number.e164, r.number.digits]));
  return db
    .prepare(
      `INSERT INTO contact_numbers (business_id, user_id, contact_id, position, label, typed, e164, digits, import_id)
       SELECT ?1, ?2, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'),
              json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]'), json_extract(j.value, '$[5]'), ?3
         FROM json_each(?4) AS j${guardSql(guard, 5)}`,
    )
    .bind(owner.businessId, owner.userId, importId, json, ...guardBinds(guard));
}

/** An email row to insert. */
export interface EmailRow {
  contactId: string;
  position: number;
  email: NormalisedContact['emails'][number];
}

/** Inserts email rows (one JSON parameter). */
export function insertEmails(db: D1Database, owner: Owner, rows: EmailRow[], importId: string | null, guard?: Guard) {
  const json = JSON.stringify(rows.map((r) => [r.contactId, r.position, r.email.label, r.email.value]));
  return db
    .prepare(
      `INSERT INTO contact_emails (business_id, user_id, contact_id, position, label, value, import_id)
       SELECT ?1, ?2, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'),
              json_extract(j.value, '$[3]'), ?3
         FROM json_each(?4) AS j${guardSql(guard, 5)}`,
    )
    .bind(owner.businessId, owner.userId, importId, json, ...guardBinds(guard));
}

/** Removes a contact's numbers and emails (before rewriting them, or on deletion). */
export function clearChildren(db: D1Database, owner: Owner, contactId: string, guard?: Guard): D1PreparedStatement[] {
  return ['contact_numbers', 'contact_emails'].map((table) =>
    db
      .prepare(
        `DELETE FROM ${table} WHERE business_id = ?1 AND user_id = ?2 AND contact_id = ?3${guard ? ` AND ${guardCondition(guard, 4)}` : ''}`,
      )
      .bind(owner.businessId, owner.userId, contactId, ...guardBinds(guard)),
  );
}

/** Number and email rows for a contact's fields, positions from `start`. */
export function childRows(contactId: string, c: NormalisedContact, start = 0): { numbers: NumberRow[]; emails: EmailRow[] } {
  return {
    numbers: c.numbers.map((number, i) => ({ contactId, position: start + i, number })),
    emails: c.emails.map((email, i) => ({ contactId, position: start + i, email })),
  };
}

/** The columns a tombstone keeps: no name, no company, nothing to search. */
export const ERASE_COLUMNS = "first_name = '', last_name = '', company = '', sort_key = '', search_text = '', import_id = NULL";
