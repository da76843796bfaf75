/**
 * Imports in batches. Each batch is one D1 batch (one transaction) that also
 * records itself under (import id, batch number): a batch either lands whole
 * or not at all, and sending it again replays its result instead of
 * importing twice. The import id marks every contact (and every number or
 * email merged into an existing contact) so that the whole import can be
 * rolled back.
 */
import type { Contact, ImportBatchRequest, ImportBatchResult, ImportMode, ImportSkip } from '../../shared/contacts-api';
import { CONTACT_EMAILS_MAX, CONTACT_NUMBERS_MAX, CONTACTS_PER_USER_MAX } from '../../shared/contacts-limits';
import { nameTokens, sortKey } from '../../shared/contacts-names';
import { newContactIds } from './ids';
import { type NormalisedContact, normaliseImported } from './normalise';
import { contactLimit } from './problems';
import { getRows } from './queries';
import { type ContactRow, lastPosition, type Owner, toContact } from './rows';
import { bumpSeq, CURRENT_SEQ, childRows, type EmailRow, insertContacts, insertEmails, insertNumbers, type NumberRow } from './statements';

type Batch = Omit<ImportBatchRequest, 'mode' | 'contacts'> & { mode: ImportMode; contacts: Parameters<typeof normaliseImported>[0][] };
type Summary = Pick<ImportBatchResult, 'importId' | 'batch' | 'created' | 'merged' | 'skipped'>;

async function recordedResult(db: D1Database, owner: Owner, importId: string, batch: number): Promise<ImportBatchResult | null> {
  const result = await db
    .prepare('SELECT result FROM contact_import_batches WHERE business_id = ? AND user_id = ? AND import_id = ? AND batch = ?')
    .bind(owner.businessId, owner.userId, importId, batch)
    .first<string>('result');
  return result ? replayOf(result) : null;
}

/** A recorded batch's result, as a replay answers it. */
function replayOf(result: string): ImportBatchResult {
  return {
    ...(JSON.parse(result) as Summary),
    replayed: true,
    createdIds: [],
    createdAt: 0,
    contacts: [],
    seqBefore: null,
    seqAfter: null,
  };
}

/** Merges `from` into `into`: numbers it lacks (by E.164), emails it lacks, names it has not got. */
function mergeFields(into: NormalisedContact, from: NormalisedContact): boolean {
  let changed = false;
  for (const field of ['firstName', 'lastName', 'company'] as const) {
    if (!into[field] && from[field]) {
      into[field] = from[field];
      changed = true;
    }
  }
  const numbers = new Set(into.numbers.map((n) => n.e164));
  for (const n of from.numbers) {
    if (numbers.has(n.e164) || into.numbers.length >= CONTACT_NUMBERS_MAX) continue;
    into.numbers.push(n);
    numbers.add(n.e164);
    changed = true;
  }
  const emails = new Set(into.emails.map((e) => e.value.toLowerCase()));
  for (const e of from.emails) {
    if (emails.has(e.value.toLowerCase()) || into.emails.length >= CONTACT_EMAILS_MAX) continue;
    into.emails.push(e);
    emails.add(e.value.toLowerCase());
    changed = true;
  }
  if (changed) {
    into.sortKey = sortKey({ ...into, numbers: into.numbers.map((n) => ({ value: n.typed })) });
    into.searchText = ` ${nameTokens(into).join(' ')}`;
  }
  return changed;
}

/** An existing contact as a mergeable record, remembering what it had. */
function fromRow(row: ContactRow): { contact: NormalisedContact; numbers: number; emails: number; nextNumber: number; nextEmail: number } {
  const c = toContact(row);
  const contact: NormalisedContact = {
    firstName: c.firstName,
    lastName: c.lastName,
    company: c.company,
    favourite: c.favourite,
    sortKey: row.sort_key,
    searchText: '',
    numbers: c.numbers.map((n) => ({ label: n.label, typed: n.value, e164: n.e164, digits: n.value.replace(/\D/g, '') })),
    emails: c.emails,
  };
  return {
    contact,
    numbers: c.numbers.length,
    emails: c.emails.length,
    nextNumber: lastPosition(row.numbers) + 1,
    nextEmail: lastPosition(row.emails) + 1,
  };
}

/** Applies one batch of an import; a batch already applied returns its recorded result. */
export async function importBatch(db: D1Database, owner: Owner, country: string, req: Batch): Promise<ImportBatchResult> {
  const skipped: ImportSkip[] = [];
  const incoming: Array<{ index: number; contact: NormalisedContact; asSent: boolean }> = [];
  req.contacts.forEach((fields, index) => {
    const contact = normaliseImported(fields, country);
    if (contact) incoming.push({ index, contact, asSent: contact.numbers.length === fields.numbers.length });
    else skipped.push({ index, reason: 'no_valid_number' });
  });

  // One round trip: was this batch applied already, how many contacts are there, and which
  // of the batch's numbers they have (duplicates are found by E.164).
  const wanted = [...new Set(incoming.flatMap((i) => i.contact.numbers.map((n) => n.e164)))];
  const start = await db
    .prepare(
      `SELECT (SELECT result FROM contact_import_batches WHERE business_id = ?1 AND user_id = ?2 AND import_id = ?3 AND batch = ?4) AS result,
              (SELECT COUNT(*) FROM contacts WHERE business_id = ?1 AND user_id = ?2 AND deleted_at IS NULL) AS live,
              (SELECT json_group_array(json_array(e164, contact_id)) FROM contact_numbers
                WHERE business_id = ?1 AND user_id = ?2 AND e164 IN (SELECT value FROM json_each(?5))) AS matches`,
    )
    .bind(owner.businessId, owner.userId, req.importId, req.batch, JSON.stringify(wanted))
    .first<{ result: string | null; live: number; matches: string }>();
  if (start?.result) return replayOf(start.result);
  const owners = new Map<string, string>();
  for (const [e164, id] of JSON.parse(start?.matches ?? '[]') as Array<[string, string]>) if (!owners.has(e164)) owners.set(e164, id);
  const existingIds = new Set(owners.values());

  const created: Array<{ index: number; id: string; contact: NormalisedContact; asSent: boolean }> = [];
  const createdById = new Map<string, (typeof created)[number]>();
  const mergesInto = new Map<string, NormalisedContact[]>();
  let merged = 0;
  // As many ids as the batch could create, drawn at once.
  const ids = newContactIds(incoming.length);
  for (const { index, contact, asSent } of incoming) {
    const target = contact.numbers.map((n) => owners.get(n.e164)).find((id) => id !== undefined);
    if (target === undefined) {
      const row = { index, id: ids[created.length] as string, contact, asSent };
      created.push(row);
      createdById.set(row.id, row);
      for (const n of contact.numbers) owners.set(n.e164, row.id);
      continue;
    }
    if (req.mode === 'skip') {
      skipped.push({ index, reason: 'duplicate', duplicateOf: target });
      continue;
    }
    merged++;
    const newInBatch = createdById.get(target);
    if (newInBatch) newInBatch.asSent = !mergeFields(newInBatch.contact, contact) && newInBatch.asSent;
    else mergesInto.set(target, [...(mergesInto.get(target) ?? []), contact]);
    for (const n of contact.numbers) if (!owners.has(n.e164)) owners.set(n.e164, target);
  }

  const have = start?.live ?? 0;
  if (have + created.length > CONTACTS_PER_USER_MAX) throw contactLimit(have, created.length);

  // Existing contacts that gain something: their additions, and positions after what they have.
  const now = Date.now();
  const mergeNumbers: NumberRow[] = [];
  const mergeEmails: EmailRow[] = [];
  const changedExisting: Array<{ id: string; contact: NormalisedContact }> = [];
  const rows = await getRows(
    db,
    owner,
    [...mergesInto.keys()].filter((id) => existingIds.has(id)),
  );
  for (const row of rows) {
    if (row.deleted_at !== null) continue;
    const current = fromRow(row);
    let changed = false;
    for (const addition of mergesInto.get(row.id) ?? []) changed = mergeFields(current.contact, addition) || changed;
    if (!changed) continue;
    changedExisting.push({ id: row.id, contact: current.contact });
    current.contact.numbers.slice(current.numbers).forEach((number, i) => {
      mergeNumbers.push({ contactId: row.id, position: current.nextNumber + i, number });
    });
    current.contact.emails.slice(current.emails).forEach((email, i) => {
      mergeEmails.push({ contactId: row.id, position: current.nextEmail + i, email });
    });
  }

  const summary: Summary = { importId: req.importId, batch: req.batch, created: created.length, merged, skipped };
  const total = created.length + changedExisting.length;
  const children = created.map(({ id, contact }) => childRows(id, contact));
  const statements: D1PreparedStatement[] = [];
  if (total > 0) statements.push(bumpSeq(db, owner, total));
  if (created.length > 0) {
    statements.push(
      insertContacts(
        db,
        owner,
        created.map((c, i) => ({ ...c, offset: i + 1 })),
        { total, source: req.source, importId: req.importId, now },
      ),
      insertNumbers(
        db,
        owner,
        children.flatMap((c) => c.numbers),
        null,
      ),
    );
    const emails = children.flatMap((c) => c.emails);
    if (emails.length > 0) statements.push(insertEmails(db, owner, emails, null));
  }
  changedExisting.forEach(({ id, contact: c }, i) => {
    statements.push(
      db
        .prepare(
          `UPDATE contacts SET first_name = ?4, last_name = ?5, company = ?6, sort_key = ?7, search_text = ?8,
                               version = version + 1, seq = ${CURRENT_SEQ} - ?9 + ?10, updated_at = ?11
            WHERE business_id = ?1 AND user_id = ?2 AND id = ?3`,
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
          total,
          created.length + i + 1,
          now,
        ),
    );
  });
  if (mergeNumbers.length > 0) statements.push(insertNumbers(db, owner, mergeNumbers, req.importId));
  if (mergeEmails.length > 0) statements.push(insertEmails(db, owner, mergeEmails, req.importId));
  statements.push(
    db
      .prepare('INSERT INTO contact_import_batches (business_id, user_id, import_id, batch, result, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(owner.businessId, owner.userId, req.importId, req.batch, JSON.stringify(summary), now),
  );

  let results: D1Result[];
  try {
    results = await db.batch(statements);
  } catch (e) {
    // The same batch sent twice at once: the one that lost sees the winner's record.
    const raced = await recordedResult(db, owner, req.importId, req.batch);
    if (raced) return raced;
    throw e;
  }
  const seqAfter = total > 0 ? ((results[0]?.results as Array<{ last_seq: number }> | undefined)?.[0]?.last_seq ?? null) : null;
  // Contacts stored exactly as sent travel back as ids only (the device has the rest);
  // the others in full: merged ones are read back, as another device may have changed them meanwhile.
  const contacts: Contact[] = created
    .filter((c) => !c.asSent)
    .map(({ id, contact: c }) => ({
      id,
      firstName: c.firstName,
      lastName: c.lastName,
      company: c.company,
      numbers: c.numbers.map((n) => ({ label: n.label, value: n.typed, e164: n.e164 })),
      emails: c.emails,
      source: req.source,
      favourite: c.favourite,
      version: 1,
      createdAt: now,
      updatedAt: now,
    }));
  if (changedExisting.length > 0)
    contacts.push(
      ...(
        await getRows(
          db,
          owner,
          changedExisting.map((c) => c.id),
        )
      ).map(toContact),
    );
  return {
    ...summary,
    replayed: false,
    createdIds: created.filter((c) => c.asSent).map((c) => [c.index, c.id]),
    createdAt: now,
    contacts,
    seqBefore: seqAfter === null ? null : seqAfter - total,
    seqAfter,
  };
}

/** How many contacts one rollback step handles (the ids travel as one JSON parameter). */
const ROLLBACK_CHUNK = 2000;

/**
 * Undoes an import: the contacts it created become tombstones and what it
 * merged into existing contacts is taken out again (names it filled in
 * stay). Done in chunks, each one transaction; running it again finishes
 * what an interrupted run left. Its batch records go too, so the same
 * import id can be sent again from the start.
 */
export async function rollbackImport(db: D1Database, owner: Owner, importId: string): Promise<{ removed: number; reverted: number }> {
  let removed = 0;
  let reverted = 0;
  for (;;) {
    const { results: createdRows } = await db
      .prepare('SELECT id FROM contacts WHERE business_id = ? AND user_id = ? AND import_id = ? AND deleted_at IS NULL LIMIT ?')
      .bind(owner.businessId, owner.userId, importId, ROLLBACK_CHUNK)
      .all<{ id: string }>();
    const { results: mergedRows } = await db
      .prepare(
        `SELECT DISTINCT c.id FROM contacts c
          WHERE c.business_id = ?1 AND c.user_id = ?2 AND c.deleted_at IS NULL AND (c.import_id IS NULL OR c.import_id != ?3)
            AND (c.id IN (SELECT contact_id FROM contact_numbers WHERE business_id = ?1 AND user_id = ?2 AND import_id = ?3)
              OR c.id IN (SELECT contact_id FROM contact_emails WHERE business_id = ?1 AND user_id = ?2 AND import_id = ?3))
          LIMIT ?4`,
      )
      .bind(owner.businessId, owner.userId, importId, ROLLBACK_CHUNK)
      .all<{ id: string }>();
    const ids = [...createdRows.map((r) => r.id), ...mergedRows.map((r) => r.id)];
    const done = createdRows.length < ROLLBACK_CHUNK && mergedRows.length < ROLLBACK_CHUNK;
    const statements: D1PreparedStatement[] = [];
    if (ids.length > 0) {
      const now = Date.now();
      const created = JSON.stringify(createdRows.map((r, i) => [r.id, i + 1]));
      const mergedInto = JSON.stringify(mergedRows.map((r, i) => [r.id, createdRows.length + i + 1]));
      statements.push(
        bumpSeq(db, owner, ids.length),
        // Everything of the contacts it created; only what it added to the others.
        ...['contact_numbers', 'contact_emails'].map((table) =>
          db
            .prepare(
              `DELETE FROM ${table} WHERE business_id = ?1 AND user_id = ?2
                 AND (contact_id IN (SELECT json_extract(value, '$[0]') FROM json_each(?4))
                   OR (import_id = ?3 AND contact_id IN (SELECT json_extract(value, '$[0]') FROM json_each(?5))))`,
            )
            .bind(owner.businessId, owner.userId, importId, created, mergedInto),
        ),
        db
          .prepare(
            `UPDATE contacts SET first_name = '', last_name = '', company = '', sort_key = '', search_text = '', favourite = 0,
                                 version = version + 1, seq = ${CURRENT_SEQ} - ?3 + json_extract(j.value, '$[1]'), updated_at = ?4, deleted_at = ?4
               FROM json_each(?5) AS j
              WHERE contacts.business_id = ?1 AND contacts.user_id = ?2 AND contacts.id = json_extract(j.value, '$[0]')`,
          )
          .bind(owner.businessId, owner.userId, ids.length, now, created),
        db
          .prepare(
            `UPDATE contacts SET version = version + 1, seq = ${CURRENT_SEQ} - ?3 + json_extract(j.value, '$[1]'), updated_at = ?4
               FROM json_each(?5) AS j
              WHERE contacts.business_id = ?1 AND contacts.user_id = ?2 AND contacts.id = json_extract(j.value, '$[0]')`,
          )
          .bind(owner.businessId, owner.userId, ids.length, now, mergedInto),
      );
    }
    if (done) {
      statements.push(
        db
          .prepare('DELETE FROM contact_import_batches WHERE business_id = ? AND user_id = ? AND import_id = ?')
          .bind(owner.businessId, owner.userId, importId),
      );
    }
    if (statements.length > 0) await db.batch(statements);
    removed += createdRows.length;
    reverted += mergedRows.length;
    if (done) return { removed, reverted };
  }
}
