/**
 * The contacts API (`/api/contacts`): request schemas (validated by the
 * Worker, used by the PWA's form and import) and response shapes. One source
 * for both sides. Numbers arrive as typed; the Worker adds E.164.
 */
import { z } from 'zod';
import {
  CHANGES_PAGE_MAX,
  CONTACT_COMPANY_MAX,
  CONTACT_EMAIL_MAX,
  CONTACT_EMAILS_MAX,
  CONTACT_ID_PATTERN,
  CONTACT_NAME_MAX,
  CONTACT_NUMBER_MAX,
  CONTACT_NUMBERS_MAX,
  CONTACT_SOURCES,
  type ContactSource,
  EMAIL_LABELS,
  type EmailLabel,
  IMPORT_BATCH_MAX,
  isEmail,
  LIST_PAGE_MAX,
  PHONE_LABELS,
  type PhoneLabel,
} from './contacts-limits';
import type { ProblemBody } from './problem';

const nameField = (what: string, max: number) => z.string().trim().max(max, `Use at most ${max} characters for the ${what}.`).default('');

export const phoneLabel = z.enum(PHONE_LABELS);
export const emailLabel = z.enum(EMAIL_LABELS);

export const numberInput = z.object({
  label: phoneLabel.default('mobile'),
  value: z.string().trim().min(1, 'Enter a phone number.').max(CONTACT_NUMBER_MAX, 'That number is too long.'),
});
export type NumberInput = z.input<typeof numberInput>;

export const emailInput = z.object({
  label: emailLabel.default('other'),
  value: z
    .string()
    .trim()
    .max(CONTACT_EMAIL_MAX, 'That email address is too long.')
    .refine(isEmail, 'Enter an email address like name@company.com.'),
});
export type EmailInput = z.input<typeof emailInput>;

/** What a person edits: everything but the id, the source and the bookkeeping. */
export const contactFields = z.object({
  firstName: nameField('first name', CONTACT_NAME_MAX),
  lastName: nameField('last name', CONTACT_NAME_MAX),
  company: nameField('company', CONTACT_COMPANY_MAX),
  numbers: z
    .array(numberInput)
    .min(1, 'Add a phone number: it is the one thing a contact needs.')
    .max(CONTACT_NUMBERS_MAX, `A contact can have at most ${CONTACT_NUMBERS_MAX} numbers.`),
  emails: z.array(emailInput).max(CONTACT_EMAILS_MAX, `A contact can have at most ${CONTACT_EMAILS_MAX} email addresses.`).default([]),
  favourite: z.boolean().default(false),
});
export type ContactFields = z.infer<typeof contactFields>;
export type ContactFieldsInput = z.input<typeof contactFields>;

/** A device may choose the id (a UUID) so that a retried create is recognised, as the `Idempotency-Key` header is. */
export const contactId = z.string().regex(CONTACT_ID_PATTERN, 'Use 8 to 64 letters, digits, - or _.');

/** `POST /api/contacts`. */
export const contactCreateRequest = contactFields.extend({
  id: contactId.optional(),
  source: z.enum(CONTACT_SOURCES).default('app'),
});
export type ContactCreateRequest = z.input<typeof contactCreateRequest>;

/** `PUT /api/contacts/:id`: the whole contact, and the version it was based on (or `If-Match`). */
export const contactUpdateRequest = contactFields.extend({ baseVersion: z.number().int().positive().optional() });
export type ContactUpdateRequest = z.input<typeof contactUpdateRequest>;

/** `PUT /api/contacts/:id/favourite`: one flag, so it needs no version. */
export const favouriteRequest = z.object({ favourite: z.boolean() });

export const importMode = z.enum(['merge', 'skip']);
export type ImportMode = z.infer<typeof importMode>;

/** `POST /api/contacts/import`: one batch of already-parsed contacts. */
export const importBatchRequest = z.object({
  /** Chosen by the device for the whole import: batches are replayed by it and it is what a rollback deletes by. */
  importId: contactId,
  /** 0, 1, 2… within the import: a batch sent twice is applied once. */
  batch: z.number().int().min(0).max(10_000),
  mode: importMode,
  source: z.enum(['file', 'device']),
  contacts: z.array(contactFields).min(1).max(IMPORT_BATCH_MAX, `Send at most ${IMPORT_BATCH_MAX} contacts per request.`),
});
export type ImportBatchRequest = z.input<typeof importBatchRequest>;

/** A sync cursor: the last change sequence a device has seen. */
export const cursor = z.string().regex(/^\d{1,15}$/, 'Not a cursor from this API.');

export const changesQuery = z.object({
  since: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(CHANGES_PAGE_MAX).default(500),
});

export const listQuery = z.object({
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(LIST_PAGE_MAX).default(50),
  q: z.string().trim().max(100).optional(),
});

export const lookupQuery = z.object({ number: z.string().trim().min(1, 'Give a number.').max(CONTACT_NUMBER_MAX) });

// ── Responses ───────────────────────────────────────────────────────────────

export interface ContactNumber {
  label: PhoneLabel;
  /** As typed (or imported). */
  value: string;
  e164: string;
}

export interface ContactEmail {
  label: EmailLabel;
  value: string;
}

/** A contact as the API returns it. `version` goes back in `baseVersion`/`If-Match` on a change. */
export interface Contact {
  id: string;
  firstName: string;
  lastName: string;
  company: string;
  numbers: ContactNumber[];
  emails: ContactEmail[];
  source: ContactSource;
  favourite: boolean;
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** A deleted contact, as the sync pull reports it. */
export interface ContactTombstone {
  id: string;
  version: number;
  deletedAt: number;
}

/** `GET /api/contacts`: one page, favourites first, then by name. */
export interface ContactPage {
  contacts: Contact[];
  /** Pass as `cursor` for the next page; null on the last. */
  next: string | null;
}

/** `GET /api/contacts/changes`: what changed after `since`, oldest first. */
export interface ContactChanges {
  upserts: Contact[];
  deletions: ContactTombstone[];
  /** The new cursor: send it as `since` next time. */
  cursor: string;
  /** More changes wait: ask again at once with the new cursor. */
  more: boolean;
  /**
   * The cursor is older than the deletions the server still remembers: drop
   * the local copy and pull again from the start (`upserts` is empty).
   */
  reset: boolean;
}

/** Why an imported contact was not applied. */
export interface ImportSkip {
  /** Its position in the batch's `contacts`. */
  index: number;
  reason: 'duplicate' | 'no_valid_number';
  /** The contact it duplicates (mode `skip`). */
  duplicateOf?: string;
}

/** `POST /api/contacts/import`: what one batch did. */
export interface ImportBatchResult {
  importId: string;
  batch: number;
  created: number;
  merged: number;
  skipped: ImportSkip[];
  /** True when this batch had been applied before and this is its earlier result. */
  replayed: boolean;
  /**
   * `[index in the batch, id]` of each contact created exactly as sent (its
   * version is 1, its times `createdAt`): the device builds it from what it sent.
   */
  createdIds: Array<[number, string]>;
  createdAt: number;
  /**
   * In full, the contacts stored otherwise than sent: existing contacts that
   * merged something in, and new ones that lost an unreadable number or took
   * in a duplicate from the same batch (empty on a replay).
   */
  contacts: Contact[];
  /**
   * The change sequence before and after this batch: a device whose cursor
   * was `seqBefore` may move it to `seqAfter` once it has stored `contacts`.
   */
  seqBefore: number | null;
  seqAfter: number | null;
}

/** `DELETE /api/contacts/import/:importId`. */
export interface ImportRollbackResult {
  /** Contacts the import had created, now deleted. */
  removed: number;
  /** Existing contacts whose merged-in numbers and emails were taken out again. */
  reverted: number;
}

/** `GET /api/contacts/lookup`: whose number this is. */
export interface ContactLookup {
  contact: Contact;
}

/**
 * The 409 `version_conflict` problem: the server's copy won. `current` is
 * what the server has now (null when it was deleted); the device keeps the
 * user's edit to apply again on top of `currentVersion`, or to discard.
 */
export interface VersionConflictProblem extends ProblemBody {
  code: 'version_conflict';
  current: Contact | null;
  currentVersion: number;
}
