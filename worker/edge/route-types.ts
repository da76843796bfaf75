import { z } from 'zod';

/** What Kamailio sends for each new call (`POST /api/edge/route`). */
export const routeRequest = z.object({
  /** The SIP Call-ID, for the logs and (later) call records. */
  callId: z.string().min(1).max(256),
  /** `client`: an authenticated user of ours; `phone_network`: the trusted gateway. */
  source: z.enum(['client', 'phone_network']),
  /** The From user part: a user id for clients (checked against the credential by Kamailio), the caller's number otherwise. */
  fromUser: z.string().max(128),
  /** The request-URI user part: an E.164 or national number, or a user id. */
  to: z.string().min(1).max(128),
});
export type RouteRequest = z.infer<typeof routeRequest>;

/** SIP statuses a refusal may carry; Kamailio sends them to the caller as they are. */
export type RejectCode = 403 | 404 | 480 | 486 | 503;

/** The Worker's answer: what Kamailio does with the call. */
export type RouteDecision =
  | {
      action: 'ring';
      targets: string[];
      ringSeconds: number;
      anchorMedia: boolean;
      callerId?: string;
      /**
       * Whose voicemail takes the call when nobody answers within ringSeconds, everyone is busy, or nobody
       * is registered. Absent: the edge answers each of those with busy (486) instead.
       */
      voicemailUserId?: string;
      /** Record the call (the business bought and enabled recording, the user's seat has it); implies anchored media. */
      record?: boolean;
    }
  | { action: 'phone_network'; number: string; callerId: string; record?: boolean }
  | { action: 'reject'; code: RejectCode; reason: string }
  | { action: 'voicemail'; userId: string }
  | { action: 'block'; code: 403; reason: string };

const REASONS: Record<RejectCode, string> = {
  403: 'Forbidden',
  404: 'Not Found',
  480: 'Temporarily Unavailable',
  486: 'Busy Here',
  503: 'Service Unavailable',
};

/** A refusal with the standard SIP reason phrase for its code. */
export function reject(code: RejectCode, reason = REASONS[code]): RouteDecision {
  return { action: 'reject', code, reason };
}

/** How long devices ring before the call fails (later: per user, then voicemail). */
export const RING_SECONDS = 30;
