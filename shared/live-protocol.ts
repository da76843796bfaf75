/**
 * The live channel's protocol (`/api/live`), shared by the Worker's LiveHub
 * and the PWA. Versioned: a client speaking an older protocol is told to
 * reload rather than misread messages.
 */
import { z } from 'zod';

/** Bump when a message changes shape incompatibly. */
export const LIVE_PROTOCOL_VERSION = 1;

export const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), protocol: z.number().int(), appVersion: z.string().max(64) }),
  z.object({ type: z.literal('ping'), t: z.number() }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

/** Why the server refused a message or a connection. */
export const errorReason = z.enum(['incompatible_protocol', 'bad_message', 'not_ready']);
export type ErrorReason = z.infer<typeof errorReason>;

export const serverMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome'), protocol: z.number().int(), serverTime: z.number() }),
  z.object({ type: z.literal('pong'), t: z.number(), serverTime: z.number() }),
  z.object({
    type: z.literal('error'),
    reason: errorReason,
    message: z.string(),
    /** True when the client must reload (a newer app) before talking again. */
    reload: z.boolean(),
  }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;

/** Parses one client frame; undefined when it is not a valid message. */
export function parseClientMessage(raw: string): ClientMessage | undefined {
  try {
    const result = clientMessage.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** Parses one server frame; undefined when it is not a valid message. */
export function parseServerMessage(raw: string): ServerMessage | undefined {
  try {
    const result = serverMessage.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
