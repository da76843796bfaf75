/**
 * Call records: the media edge's signed events (`POST /api/edge/events`), the
 * user's history (`/api/calls`) and the admin's records and billing export
 * (`/api/admin/calls`). One source for the Worker, the edge agent and the PWA.
 * See docs/calls.md.
 */
import { z } from 'zod';

// ── Edge events ─────────────────────────────────────────────────────────────

/** What the edge reports about a call, in the order they usually happen. */
export const EDGE_EVENT_TYPES = ['start', 'ringing', 'answer', 'end', 'failed'] as const;
export type EdgeEventType = (typeof EDGE_EVENT_TYPES)[number];

/**
 * One event as the edge agent delivers it. `id` is unique per happening
 * (`<Call-ID>#<type>`), so a repeat is recognised and not applied twice.
 */
export const edgeEvent = z.object({
  id: z.string().min(1).max(320),
  type: z.enum(EDGE_EVENT_TYPES),
  /** The SIP Call-ID: the Worker finds the call's record (its business, its parties) by it. */
  callId: z.string().min(1).max(256),
  /** The edge's clock when it happened, ms since the epoch. */
  at: z.number().int().positive(),
  /** SIP status: 180/183 (ringing), 200 (answer), the final code (failed). */
  code: z.number().int().min(100).max(699).optional(),
  reason: z.string().max(128).optional(),
  /** answer: the user whose device answered (one the Worker asked to ring; anyone else is ignored). */
  user: z.string().max(128).optional(),
  /** answer: the voicemail service answered (for `user`'s mailbox), not one of the user's devices. */
  voicemail: z.boolean().optional(),
  /** answer: the answering device's Contact. */
  contact: z.string().max(512).optional(),
  /** end: who hung up; `edge` when the edge ended it (dialog timeout). */
  by: z.enum(['caller', 'callee', 'edge']).optional(),
  /** start: the request as routed. */
  source: z.enum(['client', 'phone_network']).optional(),
  from: z.string().max(128).optional(),
  to: z.string().max(128).optional(),
});
export type EdgeEvent = z.infer<typeof edgeEvent>;

/**
 * A device's registration as the edge's registrar saw it, delivered beside
 * the call events: `expires` seconds left, 0 when it ended (unREGISTER or
 * expiry). Presence counts a registered device as online (PRODUCT.md:
 * offline is no live connection and no SIP registration). Not stored:
 * applying one twice sets the same state.
 */
export const edgeRegistration = z.object({
  id: z.string().min(1).max(320),
  type: z.literal('registration'),
  at: z.number().int().positive(),
  /** The registered user (the AOR's user part). */
  user: z.string().min(1).max(128),
  /** The device: its `+sip.instance` when it sends one, else its Contact. */
  device: z.string().min(1).max(512),
  expires: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600),
});
export type EdgeRegistration = z.infer<typeof edgeRegistration>;

/** One item of a delivery: a call event or a registration. */
export const edgeDeliveryItem = z.union([edgeEvent, edgeRegistration]);
export type EdgeDeliveryItem = z.infer<typeof edgeDeliveryItem>;

/** At most this many events per delivery. */
export const EDGE_BATCH_MAX = 500;

/** The delivery body. Each event is validated on its own, so one bad event never blocks the others. */
export const edgeEventBatch = z.object({
  events: z.array(z.unknown()).min(1).max(EDGE_BATCH_MAX),
});

/** The Worker's answer: every id is settled (accepted now, already had, or refused for good) and may leave the spool. */
export interface EdgeEventsResult {
  accepted: string[];
  duplicates: string[];
  rejected: Array<{ id: string | null; reason: string }>;
}

/** Headers of a signed delivery. */
export const EDGE_TIMESTAMP_HEADER = 'X-Edge-Timestamp';
export const EDGE_SIGNATURE_HEADER = 'X-Edge-Signature';
/** A delivery signed longer ago (or further ahead) than this is refused as stale. */
export const EDGE_SIGNATURE_MAX_SKEW_MS = 5 * 60 * 1000;

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The HMAC-SHA256 key for signing or checking deliveries. */
export function edgeSigningKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

/** What is signed: the timestamp header's value, a dot, and the exact body bytes. */
export function signedPayload(timestamp: string, body: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${timestamp}.${body}`) as Uint8Array<ArrayBuffer>;
}

/** The `X-Edge-Signature` value for a body: `v1=` and the hex HMAC-SHA256 of {@link signedPayload}. */
export async function signEdgeBody(key: CryptoKey, timestamp: string, body: string): Promise<string> {
  return `v1=${hex(await crypto.subtle.sign('HMAC', key, signedPayload(timestamp, body)))}`;
}

// ── Records ─────────────────────────────────────────────────────────────────

export const CALL_OUTCOMES = ['answered', 'missed', 'busy', 'declined', 'voicemail', 'failed', 'blocked'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** internal: between colleagues; outbound: to the phone network; inbound: from it. */
export type CallKind = 'internal' | 'outbound' | 'inbound';

/** A party of the call as a person sees them. */
export interface CallPerson {
  userId: string;
  name: string;
}

/** One call in a user's history, seen from that user's side. */
export interface HistoryCall {
  id: string;
  kind: CallKind;
  /** From this user's side. */
  direction: 'incoming' | 'outgoing';
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  durationSeconds: number;
  /** Null while the call is still in progress. */
  outcome: CallOutcome | null;
  /** An incoming call nobody answered. */
  missed: boolean;
  /** The phone network's side (E.164), when the other party is not a colleague. */
  remoteNumber: string | null;
  /** The business number or override the call used on our side. */
  ourNumber: string | null;
  /** The contact's name for remoteNumber, from this user's contacts. */
  contactName: string | null;
  /** The colleague on the other end of an internal call. */
  colleague: CallPerson | null;
  /** Who answered an incoming call (this user, or a colleague sharing the number). */
  answeredBy: CallPerson | null;
  /** On which of their devices, as they know it ("Chrome on Android"), when known. Absent from calls cached before it existed. */
  answeredDevice?: string | null;
  /** What to dial to call back: a number, or a colleague's user id. */
  callBack: string | null;
}

/** A page of history, newest first; `next` continues after the last call. */
export interface HistoryPage {
  calls: HistoryCall[];
  next: string | null;
}

export const HISTORY_FILTERS = ['all', 'missed', 'incoming', 'outgoing'] as const;
export type HistoryFilter = (typeof HISTORY_FILTERS)[number];

/** A keyset position: `<routed_at>.<record id>`, opaque to clients. */
export const callCursor = z.string().regex(/^\d{1,15}\.call_[A-Za-z0-9_-]{1,40}$/, 'Not a cursor from this API.');

/** `GET /api/calls` */
export const historyQuery = z.object({
  filter: z.enum(HISTORY_FILTERS).default('all'),
  cursor: callCursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type HistoryQuery = z.input<typeof historyQuery>;

/** `GET /api/calls/unseen-missed` */
export interface UnseenMissed {
  count: number;
}

/** `POST /api/calls/seen`: missed calls up to `through` (default now) have been seen. */
export const seenRequest = z.object({ through: z.number().int().positive().optional() }).strict();

/** One call record as the admin (and the billing export) sees it. */
export interface AdminCallRecord {
  id: string;
  sipCallId: string;
  kind: CallKind;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  durationSeconds: number;
  outcome: CallOutcome | null;
  endedBy: 'caller' | 'callee' | 'edge' | 'sweep' | null;
  finalCode: number | null;
  remoteNumber: string | null;
  ourNumber: string | null;
  caller: CallPerson | null;
  answeredBy: CallPerson | null;
  /** The device that answered, as its user knows it ("Chrome on Android"): its session's label; null when unknown. */
  answeredDevice: string | null;
  plan: 'licensed' | 'payg';
  billableSeconds: number;
  ratePrefix: string | null;
  rateMillicentsPerMinute: number | null;
  costCents: number;
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD.')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'Not a date.');

/** A date range in UTC days, `from` and `to` both included; at most 400 days. */
export const dateRange = z
  .object({ from: day, to: day })
  .refine((r) => r.from <= r.to, { message: 'The range ends before it starts.', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 400 * 86_400_000, { message: 'Use at most 400 days.', path: ['to'] });

/** `GET /api/admin/calls` */
export const adminCallsQuery = z.intersection(
  dateRange,
  z.object({
    userId: z.string().min(1).max(64).optional(),
    cursor: callCursor.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
);
export type AdminCallsQuery = z.input<typeof adminCallsQuery>;

/** A page of admin records, newest first. */
export interface AdminCallsPage {
  calls: AdminCallRecord[];
  next: string | null;
}

/** The billing export's columns, in order (CSV header and JSON keys alike); new ones go last, so positions importers rely on stay. */
export const EXPORT_COLUMNS = [
  'id',
  'sip_call_id',
  'direction',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_seconds',
  'outcome',
  'ended_by',
  'final_code',
  'remote_number',
  'our_number',
  'caller_user_id',
  'caller_name',
  'answered_user_id',
  'answered_name',
  'plan',
  'billable_seconds',
  'rate_prefix',
  'rate_millicents_per_minute',
  'cost_cents',
  'answered_device',
] as const;
