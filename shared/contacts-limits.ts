/**
 * Contact limits both sides check, in a module without zod so that the
 * page's sync code can use them without the schema library.
 */

/** Names: first and last. */
export const CONTACT_NAME_MAX = 100;
export const CONTACT_COMPANY_MAX = 150;
/** A number as typed: enough for "+44 (0) 20 7946 0000 ext. 1234". */
export const CONTACT_NUMBER_MAX = 40;
export const CONTACT_EMAIL_MAX = 254;
export const CONTACT_NUMBERS_MAX = 20;
export const CONTACT_EMAILS_MAX = 20;
/** Per user: beyond this a create or an import is refused with `contact_limit_reached`. */
export const CONTACTS_PER_USER_MAX = 50_000;
/** Contacts per `POST /api/contacts/import` request. */
export const IMPORT_BATCH_MAX = 2000;
/** Changes per `GET /api/contacts/changes` page. */
export const CHANGES_PAGE_MAX = 1000;
/** Contacts per `GET /api/contacts` page. */
export const LIST_PAGE_MAX = 200;

export const PHONE_LABELS = ['mobile', 'work', 'home', 'other'] as const;
export type PhoneLabel = (typeof PHONE_LABELS)[number];
export const EMAIL_LABELS = ['work', 'home', 'other'] as const;
export type EmailLabel = (typeof EMAIL_LABELS)[number];
export const CONTACT_SOURCES = ['app', 'device', 'file'] as const;
export type ContactSource = (typeof CONTACT_SOURCES)[number];

/** Ids a device may choose for a new contact (a UUID fits). */
export const CONTACT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * An email address, loosely: something@something with no spaces. Imports
 * keep what a phone kept; the server refuses only what cannot be an address.
 */
export function isEmail(value: string): boolean {
  return value.length <= CONTACT_EMAIL_MAX && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}
