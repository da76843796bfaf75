/** Reads of one user's contacts. Every query is scoped by business AND user. */
import type { Contact, ContactChanges, ContactPage } from '../../shared/contacts-api';
import { digitsOf, fold } from '../../shared/contacts-names';
import { base64url } from '../auth/tokens';
import { problems } from '../platform/problem';
import { CONTACT_SELECT, type ContactRow, type Owner, toContact, toTombstone } from './rows';

/**
 * Countries already read by this isolate. A business's country changes
 * rarely (an admin's edit); a minute's delay in noticing is fine, and every
 * import batch is spared a round trip.
 */
const countries = new Map<string, { country: string; until: number }>();
const COUNTRY_TTL_MS = 60_000;

/** The business's country: how numbers without a +prefix are read. */
export async function businessCountry(db: D1Database, businessId: string): Promise<string> {
  const cached = countries.get(businessId);
  if (cached && cached.until > Date.now()) return cached.country;
  const country = await db.prepare('SELECT country FROM businesses WHERE id = ?').bind(businessId).first<string>('country');
  if (!country) throw problems.unauthenticated();
  if (countries.size > 10_000) countries.clear();
  countries.set(businessId, { country, until: Date.now() + COUNTRY_TTL_MS });
  return country;
}

/** One row, live or tombstone; null when this user has no such contact. */
export function getRow(db: D1Database, owner: Owner, id: string): Promise<ContactRow | null> {
  return db
    .prepare(`${CONTACT_SELECT} WHERE c.business_id = ?1 AND c.user_id = ?2 AND c.id = ?3`)
    .bind(owner.businessId, owner.userId, id)
    .first<ContactRow>();
}

/** Several rows by id, in no particular order. */
export async function getRows(db: D1Database, owner: Owner, ids: string[]): Promise<ContactRow[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(`${CONTACT_SELECT} WHERE c.business_id = ?1 AND c.user_id = ?2 AND c.id IN (SELECT value FROM json_each(?3))`)
    .bind(owner.businessId, owner.userId, JSON.stringify(ids))
    .all<ContactRow>();
  return results;
}

/** A live contact, or 404 (another user's id is as unknown as a made-up one). */
export async function getLiveContact(db: D1Database, owner: Owner, id: string): Promise<Contact> {
  const row = await getRow(db, owner, id);
  if (!row || row.deleted_at !== null) throw problems.notFound('contact');
  return toContact(row);
}

/** How many live contacts the user has (the partial list index answers it). */
export async function liveCount(db: D1Database, owner: Owner): Promise<number> {
  return (
    (await db
      .prepare('SELECT COUNT(*) AS n FROM contacts WHERE business_id = ? AND user_id = ? AND deleted_at IS NULL')
      .bind(owner.businessId, owner.userId)
      .first<number>('n')) ?? 0
  );
}

type ListKey = [favourite: number, sortKey: string, id: string];

function encodeKey(key: ListKey): string {
  return base64url(new TextEncoder().encode(JSON.stringify(key)));
}

function decodeKey(cursor: string): ListKey {
  try {
    const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    const key = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (Array.isArray(key) && typeof key[0] === 'number' && typeof key[1] === 'string' && typeof key[2] === 'string') return key as ListKey;
  } catch {
    // fall through
  }
  throw problems.validation([{ field: 'cursor', code: 'invalid_cursor', message: 'Not a cursor from this list.' }]);
}

/** Escapes LIKE's wildcards (the pattern uses ESCAPE '\'). */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * A search: a query of digits and phone punctuation matches a fragment of a
 * number (as typed or in E.164); anything else matches names and company by
 * word prefix, every word.
 */
function searchClause(q: string, binds: unknown[]): string {
  if (/^[\d\s()+.\-/]+$/.test(q) && /\d/.test(q)) {
    binds.push(`%${digitsOf(q)}%`);
    const p = binds.length;
    return ` AND EXISTS (SELECT 1 FROM contact_numbers n WHERE n.business_id = c.business_id AND n.user_id = c.user_id
                           AND n.contact_id = c.id AND (n.e164 LIKE ?${p} OR n.digits LIKE ?${p}))`;
  }
  const words = fold(q).split(/\s+/).filter(Boolean);
  return words
    .map((word) => {
      binds.push(`% ${likeEscape(word)}%`);
      return ` AND c.search_text LIKE ?${binds.length} ESCAPE '\\'`;
    })
    .join('');
}

/** One page of the list: favourites first, then by name; keyset-paginated so pages never shift. */
export async function listContacts(
  db: D1Database,
  owner: Owner,
  options: { cursor?: string; limit: number; q?: string },
): Promise<ContactPage> {
  const binds: unknown[] = [owner.businessId, owner.userId];
  let where = 'c.business_id = ?1 AND c.user_id = ?2 AND c.deleted_at IS NULL';
  if (options.q) where += searchClause(options.q, binds);
  if (options.cursor) {
    const [f, s, i] = decodeKey(options.cursor);
    binds.push(f, s, i);
    const n = binds.length;
    where += ` AND (c.favourite < ?${n - 2} OR (c.favourite = ?${n - 2} AND (c.sort_key > ?${n - 1} OR (c.sort_key = ?${n - 1} AND c.id > ?${n}))))`;
  }
  binds.push(options.limit + 1);
  const { results } = await db
    .prepare(`${CONTACT_SELECT} WHERE ${where} ORDER BY c.favourite DESC, c.sort_key, c.id LIMIT ?${binds.length}`)
    .bind(...binds)
    .all<ContactRow>();
  const page = results.slice(0, options.limit);
  const last = page.at(-1);
  const next = results.length > options.limit && last ? encodeKey([last.favourite, last.sort_key, last.id]) : null;
  return { contacts: page.map(toContact), next };
}

interface SyncRow {
  last_seq: number;
  purged_seq: number;
}

/** The sync pull: changes after `since`, oldest first, upserts and tombstones, and the new cursor. */
export async function changesSince(db: D1Database, owner: Owner, since: number, limit: number): Promise<ContactChanges> {
  const sync = await db
    .prepare('SELECT last_seq, purged_seq FROM contact_sync WHERE business_id = ? AND user_id = ?')
    .bind(owner.businessId, owner.userId)
    .first<SyncRow>();
  const last = sync?.last_seq ?? 0;
  // Deletions at or below purged_seq are forgotten; a cursor ahead of the
  // server belongs to some other history. Either way: start again.
  if ((since > 0 && since < (sync?.purged_seq ?? 0)) || since > last) {
    return { upserts: [], deletions: [], cursor: '0', more: true, reset: true };
  }
  const { results } = await db
    .prepare(`${CONTACT_SELECT} WHERE c.business_id = ?1 AND c.user_id = ?2 AND c.seq > ?3 ORDER BY c.seq LIMIT ?4`)
    .bind(owner.businessId, owner.userId, since, limit + 1)
    .all<ContactRow>();
  const page = results.slice(0, limit);
  const more = results.length > limit;
  return {
    upserts: page.filter((r) => r.deleted_at === null).map(toContact),
    deletions: page.filter((r) => r.deleted_at !== null).map(toTombstone),
    // With nothing new the cursor is the counter itself: seqs spent on
    // changes that turned out to be no-ops are skipped for good.
    cursor: String(more ? (page.at(-1)?.seq ?? since) : Math.max(since, last, page.at(-1)?.seq ?? 0)),
    more,
    reset: false,
  };
}

/** Caller identity: the user's contact with this E.164 number (a favourite first, then the most recently changed). */
export async function contactByE164(db: D1Database, owner: Owner, e164: string): Promise<Contact | null> {
  const row = await db
    .prepare(
      `${CONTACT_SELECT}
        WHERE c.business_id = ?1 AND c.user_id = ?2 AND c.deleted_at IS NULL
          AND c.id IN (SELECT contact_id FROM contact_numbers WHERE business_id = ?1 AND user_id = ?2 AND e164 = ?3)
        ORDER BY c.favourite DESC, c.updated_at DESC LIMIT 1`,
    )
    .bind(owner.businessId, owner.userId, e164)
    .first<ContactRow>();
  return row ? toContact(row) : null;
}
