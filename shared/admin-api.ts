/**
 * The admin settings API (`/api/admin/*` and `GET /api/me/features`):
 * request schemas (validated by the Worker, typing the PWA's calls) and
 * response shapes. One source for both sides.
 */
import { z } from 'zod';
import {
  DEFAULT_SEAT,
  EXTENSION_MAX_DIGITS,
  EXTENSION_MIN_DIGITS,
  FEATURES,
  type Feature,
  type Features,
  NO_FEATURES,
  RESERVED_EXTENSIONS,
  SPENDING_LIMIT_MAX_CENTS,
} from './admin-limits';
import { role } from './auth-api';
import type { CallKind, CallPerson } from './calls-api';

export {
  DEFAULT_SEAT,
  EXTENSION_MAX_DIGITS,
  EXTENSION_MIN_DIGITS,
  FEATURES,
  type Feature,
  type Features,
  NO_FEATURES,
  RESERVED_EXTENSIONS,
  SPENDING_LIMIT_MAX_CENTS,
};

const id = z.string().trim().min(1).max(64);

// ── Licences ────────────────────────────────────────────────────────────────

/** A seat's features, each on or off. */
export const features = z.object({
  calling: z.boolean(),
  sms: z.boolean(),
  voicemail: z.boolean(),
  recording: z.boolean(),
}) satisfies z.ZodType<Features>;

/** Giving a seat (any feature left out takes {@link DEFAULT_SEAT}'s value) or changing its features. */
export const licenceRequest = features.partial().strict();
export type LicenceRequest = z.input<typeof licenceRequest>;

// ── Users ───────────────────────────────────────────────────────────────────

export const userStatus = z.enum(['active', 'suspended', 'terminated']);
export type UserStatus = z.infer<typeof userStatus>;

/** `GET /api/admin/users`: `q` searches name, email and mobile; `current` is everyone not terminated. */
export const userListQuery = z.object({
  q: z.string().trim().max(100, 'Use at most 100 characters.').optional(),
  status: z.enum(['current', 'active', 'suspended', 'terminated', 'all']).default('current'),
});
export type UserListQuery = z.input<typeof userListQuery>;

export const roleChangeRequest = z.object({ role });
export type RoleChangeRequest = z.input<typeof roleChangeRequest>;

/** A number as the admin sees it on a user. */
export interface HeldNumber {
  id: string;
  e164: string;
  kind: 'pool' | 'main';
}

/** One user in the admin's list. `licence` null: no seat. */
export interface AdminUser {
  id: string;
  name: string;
  email: string | null;
  mobile: string | null;
  role: z.infer<typeof role>;
  status: UserStatus;
  createdAt: number;
  terminatedAt: number | null;
  /** The number allocated to them from the pool. */
  number: HeldNumber | null;
  /** The number their calls go out and come in on instead, when the admin set one. */
  override: HeldNumber | null;
  extension: string | null;
  licence: Features | null;
  /** The admin looking at the list. */
  you: boolean;
}

// ── Numbers ─────────────────────────────────────────────────────────────────

/** `POST /api/admin/numbers/:id/assignment`. */
export const numberAssignRequest = z.object({ userId: id });
export type NumberAssignRequest = z.input<typeof numberAssignRequest>;

/** `PATCH /api/admin/users/:id/override`: the main number or another of the business's numbers. */
export const overrideRequest = z.object({ numberId: id });
export type OverrideRequest = z.input<typeof overrideRequest>;

/** One of the business's numbers, with who holds it and who calls on it by override. */
export interface AdminNumber {
  id: string;
  e164: string;
  kind: 'pool' | 'main';
  assignedTo: { id: string; name: string } | null;
  overrideFor: { id: string; name: string }[];
}

// ── Extensions ──────────────────────────────────────────────────────────────

export const extension = z
  .string()
  .trim()
  .regex(
    new RegExp(`^\\d{${EXTENSION_MIN_DIGITS},${EXTENSION_MAX_DIGITS}}$`),
    `Use ${EXTENSION_MIN_DIGITS} to ${EXTENSION_MAX_DIGITS} digits.`,
  )
  .refine((e) => !RESERVED_EXTENSIONS.includes(e), 'This is an emergency or service number; choose another.');

/** `PATCH /api/admin/users/:id/extension`. */
export const extensionRequest = z.object({ extension });
export type ExtensionRequest = z.input<typeof extensionRequest>;

/** `GET /api/admin/licences`: seats bought and in use, and who has one. */
export interface LicenceSummary {
  seats: number;
  used: number;
  /** Whether the business bought call recording (else no seat may have it). */
  recordingPurchased: boolean;
}

// ── Plan and spending ───────────────────────────────────────────────────────

export const plan = z.enum(['licensed', 'payg']);
export type Plan = z.infer<typeof plan>;

/** `PATCH /api/admin/plan`. Pay-as-you-go needs a spending limit: it is enforced before every call. */
export const planUpdateRequest = z
  .object({
    plan,
    spendingLimitCents: z
      .number()
      .int('Use whole cents.')
      .min(0, 'The limit cannot be negative.')
      .max(SPENDING_LIMIT_MAX_CENTS, 'That limit is too high.')
      .nullable(),
  })
  .refine((v) => v.plan !== 'payg' || v.spendingLimitCents !== null, {
    message: 'Pay as you go needs a spending limit.',
    path: ['spendingLimitCents'],
  });
export type PlanUpdateRequest = z.input<typeof planUpdateRequest>;

/** `GET /api/admin/plan`. */
export interface PlanInfo {
  plan: Plan;
  /** Null: no limit set. */
  spendingLimitCents: number | null;
  /** Spent on calls since the start of this month (UTC). */
  spentCents: number;
  /** Whether a new chargeable call may start now. */
  allowed: boolean;
  monthStartsAt: number;
}

// ── Call recording ──────────────────────────────────────────────────────────

/** `PATCH /api/admin/recording`. */
export const recordingSwitchRequest = z.object({ enabled: z.boolean() });
export type RecordingSwitchRequest = z.input<typeof recordingSwitchRequest>;

/** `GET /api/admin/recording`. */
export interface RecordingSettings {
  purchased: boolean;
  enabled: boolean;
}

/**
 * One recording in `GET /api/admin/recordings`, with its call from the call
 * record; the call fields are null when the record is no longer in D1
 * (records may be archived elsewhere one day; the recording stays manageable).
 */
export interface RecordingInfo {
  id: string;
  /** The call record's id (`call_…`), as in `GET /api/admin/calls`. */
  callId: string;
  durationMs: number;
  bytes: number;
  /** When the edge delivered it (the call had ended). */
  createdAt: number;
  kind: CallKind | null;
  startedAt: number | null;
  /** The other party's number (the phone network), when there was one. */
  remoteNumber: string | null;
  /** The business's number the call used. */
  ourNumber: string | null;
  /** Our user who placed the call (internal and outbound). */
  caller: CallPerson | null;
  /** Our user who answered (internal and inbound). */
  answeredBy: CallPerson | null;
}

/** `GET /api/admin/recordings`: newest first. */
export interface RecordingsPage {
  recordings: RecordingInfo[];
}

/** What recordings are stored and played as (edge/agent/recordings/convert.ts makes them). */
export const RECORDING_CONTENT_TYPE = 'audio/mpeg';
/**
 * `POST /api/edge/recordings`: the largest recording taken, bytes. A Worker
 * takes request bodies up to 100 MB on most plans; at 32 kbit/s that is
 * about 7 hours of call.
 */
export const RECORDING_MAX_BYTES = 100 * 1024 * 1024;
/** The upload's SHA-256 (hex), checked by R2 as it stores the body: a damaged upload is never kept. */
export const RECORDING_SHA256_HEADER = 'X-Content-SHA256';
/** `POST /api/edge/recordings?callId=<SIP Call-ID>&durationMs=`: the stored recording's id; `duplicate` when the call already had one. */
export interface RecordingUploadResult {
  id: string;
  duplicate: boolean;
}

// ── Audit log ───────────────────────────────────────────────────────────────

/** What an audit entry records; the UI words each. */
export const AUDIT_ACTIONS = [
  'user.role',
  'user.suspend',
  'user.reactivate',
  'user.terminate',
  'number.assign',
  'number.unassign',
  'user.override',
  'user.extension',
  'user.licence',
  'business.plan',
  'business.recording',
  'recording.delete',
  'invitation.send',
  'invitation.revoke',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `GET /api/admin/audit`: newest first; pass `nextCursor` back as `cursor` for older entries. */
export const auditQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type AuditQuery = z.input<typeof auditQuery>;

export interface AuditEntry {
  id: string;
  at: number;
  action: AuditAction;
  actor: { id: string; name: string | null };
  /** `label`: the user's name, the number, or whom the invitation is for; looked up when read. */
  target: { type: 'user' | 'number' | 'business' | 'invitation'; id: string; label: string | null };
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}
