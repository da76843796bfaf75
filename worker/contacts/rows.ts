import type { Contact, ContactEmail, ContactNumber, ContactTombstone } from '../../shared/contacts-api';
import type { ContactSource } from '../../shared/contacts-limits';

/** Whose contacts: every query is scoped by both. */
export interface Owner {
  businessId: string;
  userId: string;
}

/** A contacts row with its numbers and emails folded in as JSON arrays. */
export interface ContactRow {
  id: string;
  first_name: string;
  last_name: string;
  company: string;
  source: ContactSource;
  favourite: number;
  version: number;
  seq: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  sort_key: string;
  /** `[[position, label, typed, e164], …]` */
  numbers: string;
  /** `[[position, label, value], …]` */
  emails: string;
}

/**
 * The columns of a contact, numbers and emails included, from `contacts c`.
 * json_group_array has no order of its own: positions travel along and
 * `toContact` sorts by them.
 */
export const CONTACT_SELECT = `
  SELECT c.id, c.first_name, c.last_name, c.company, c.source, c.favourite, c.version, c.seq,
         c.created_at, c.updated_at, c.deleted_at, c.sort_key,
         (SELECT json_group_array(json_array(n.position, n.label, n.typed, n.e164)) FROM contact_numbers n
           WHERE n.business_id = c.business_id AND n.user_id = c.user_id AND n.contact_id = c.id) AS numbers,
         (SELECT json_group_array(json_array(e.position, e.label, e.value)) FROM contact_emails e
           WHERE e.business_id = c.business_id AND e.user_id = c.user_id AND e.contact_id = c.id) AS emails
    FROM contacts c`;

type NumberTuple = [number, ContactNumber['label'], string, string];
type EmailTuple = [number, ContactEmail['label'], string];

const byPosition = (a: [number, ...unknown[]], b: [number, ...unknown[]]) => a[0] - b[0];

/** A live row as the API shows it. */
export function toContact(row: ContactRow): Contact {
  const numbers = (JSON.parse(row.numbers) as NumberTuple[]).sort(byPosition);
  const emails = (JSON.parse(row.emails) as EmailTuple[]).sort(byPosition);
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    company: row.company,
    numbers: numbers.map(([, label, value, e164]) => ({ label, value, e164 })),
    emails: emails.map(([, label, value]) => ({ label, value })),
    source: row.source,
    favourite: row.favourite === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A deleted row as the sync pull shows it. */
export function toTombstone(row: ContactRow): ContactTombstone {
  return { id: row.id, version: row.version, deletedAt: row.deleted_at ?? row.updated_at };
}

/** The largest position used in a row's numbers or emails JSON (-1 when empty). */
export function lastPosition(json: string): number {
  return (JSON.parse(json) as Array<[number]>).reduce((max, [p]) => Math.max(max, p), -1);
}
