/**
 * Voicemail: the media edge's voicemail service ⇄ the Worker
 * (`/api/edge/voicemail/*`), and the user's inbox and greeting
 * (`/api/voicemail/*`). One source for the Worker, the edge service and the
 * PWA. See docs/voicemail.md.
 */
import { z } from 'zod';

// ── Limits ──────────────────────────────────────────────────────────────────

/** The longest message a caller may leave; the edge service stops recording here. */
export const VOICEMAIL_MAX_MESSAGE_SECONDS = 180;
/** The edge service ends the recording after this much continuous silence. */
export const VOICEMAIL_SILENCE_SECONDS = 8;
/** Messages shorter than this are not kept (a caller who hung up at the beep). */
export const VOICEMAIL_MIN_MESSAGE_MS = 1000;
/** The longest greeting a user may record. */
export const GREETING_MAX_SECONDS = 60;
/** Upload ceilings, far above what the length limits produce in Opus. */
export const VOICEMAIL_MAX_MESSAGE_BYTES = 5 * 1024 * 1024;
export const GREETING_MAX_BYTES = 2 * 1024 * 1024;
/** Audio types accepted for greetings (MediaRecorder's output in Chromium, Firefox and Safari). */
export const GREETING_CONTENT_TYPES = ['audio/webm', 'audio/ogg', 'audio/mp4'] as const;

// ── Edge → Worker (Authorization: Bearer EDGE_API_SECRET) ───────────────────

/**
 * `POST /api/edge/voicemail/messages?<this>`, body: the message audio as
 * recorded (Content-Type `audio/webm` or `audio/ogg`). Idempotent on
 * `callId`: a repeat answers 200 with the same id, so the edge may retry an
 * upload it is unsure of.
 */
export const edgeVoicemailUpload = z.object({
  /** The SIP Call-ID of the call that left the message. */
  callId: z.string().min(1).max(256),
  /** The mailbox owner. */
  userId: z.string().min(1).max(64),
  /** The caller as the edge saw them: a user id (`usr_…`) or a number (E.164 where known). */
  from: z.string().min(1).max(128),
  /** When the caller started speaking (after the greeting), ms since the epoch. */
  receivedAt: z.coerce.number().int().positive(),
  /** The message's length in ms. */
  durationMs: z.coerce
    .number()
    .int()
    .min(0)
    .max(VOICEMAIL_MAX_MESSAGE_SECONDS * 1000 + 5000),
});
export type EdgeVoicemailUpload = z.infer<typeof edgeVoicemailUpload>;

/**
 * `GET /api/edge/voicemail/greetings/:userId`: 200 with the user's recorded
 * greeting (as uploaded, with its Content-Type and an ETag that changes
 * when the greeting does), or 404 `no_greeting` when the user keeps the
 * default (the edge then plays its own default greeting).
 */
export const EDGE_GREETING_PATH = '/api/edge/voicemail/greetings';

// ── User API ────────────────────────────────────────────────────────────────

/** One message in the owner's inbox. */
export interface VoicemailMessage {
  id: string;
  /** The caller's number (E.164) when they called from the phone network. */
  fromNumber: string | null;
  /** The colleague who called, for internal calls. */
  fromUser: { userId: string; name: string } | null;
  /** Resolved from the owner's contacts by fromNumber. */
  contactName: string | null;
  receivedAt: number;
  durationMs: number;
  heard: boolean;
  /** `GET` it for the audio (range requests supported). */
  audioUrl: string;
}

/** `GET /api/voicemail`: newest first. */
export interface VoicemailInbox {
  messages: VoicemailMessage[];
  unheard: number;
}

/** `PATCH /api/voicemail/:id` */
export const voicemailPatch = z.object({ heard: z.boolean() });

/** `GET /api/voicemail/greeting`: which greeting callers hear. */
export interface GreetingInfo {
  kind: 'default' | 'custom';
  /** For a custom greeting: its audio (`GET`), its length and when it was recorded. */
  audioUrl: string | null;
  durationMs: number | null;
  updatedAt: number | null;
}

/**
 * The user's routes (signed in; refused with the 403 of
 * `requireFeature('voicemail')` when the seat has no voicemail):
 *
 * - `GET    /api/voicemail`                  → {@link VoicemailInbox}
 * - `GET    /api/voicemail/:id/audio`        → the audio, `Accept-Ranges: bytes`, 206 for a Range
 * - `PATCH  /api/voicemail/:id`              ← {@link voicemailPatch}
 * - `DELETE /api/voicemail/:id`              → 204 (audio removed from R2)
 * - `GET    /api/voicemail/greeting`         → {@link GreetingInfo}
 * - `PUT    /api/voicemail/greeting?durationMs=N`, body: the recorded audio (Content-Type one of {@link GREETING_CONTENT_TYPES}) → {@link GreetingInfo}
 * - `GET    /api/voicemail/greeting/audio`   → the custom greeting's audio
 * - `DELETE /api/voicemail/greeting`         → back to the default ({@link GreetingInfo} kind `default`)
 */
export const VOICEMAIL_API = '/api/voicemail';

/** `PUT /api/voicemail/greeting?<this>` */
export const greetingUploadQuery = z.object({
  durationMs: z.coerce
    .number()
    .int()
    .min(500)
    .max(GREETING_MAX_SECONDS * 1000 + 2000),
});
