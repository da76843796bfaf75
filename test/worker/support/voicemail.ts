import { runInDurableObject, SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { EdgeVoicemailUpload } from '../../../shared/voicemail-api';
import type { LiveHub } from '../../../worker/live/hub';
import { type Client, json, ORIGIN, seedBusiness, signedIn } from './api';

/** Deterministic "audio": byte i is (i * 7 + seed) mod 256, so a range can be checked byte for byte. */
export function audioBytes(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + seed) % 256;
  return bytes;
}

/** A fresh SIP Call-ID. */
export const newCallId = () => `${crypto.randomUUID()}@edge.test`;

type UploadBody = Uint8Array<ArrayBuffer> | ReadableStream | string | null;

/** The edge's upload of a message (the right bearer secret and `audio/ogg` unless told otherwise). */
export function uploadMessage(
  query: Partial<Record<keyof EdgeVoicemailUpload, string | number>>,
  body: UploadBody = audioBytes(2048),
  options: { contentType?: string | null; authorization?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const authorization = options.authorization === undefined ? `Bearer ${env.EDGE_API_SECRET}` : options.authorization;
  const contentType = options.contentType === undefined ? 'audio/ogg' : options.contentType;
  return SELF.fetch(`${ORIGIN}/api/edge/voicemail/messages?${params}`, {
    method: 'POST',
    headers: {
      ...(authorization ? { Authorization: authorization } : {}),
      ...(contentType ? { 'Content-Type': contentType } : {}),
      ...options.headers,
    },
    body,
  });
}

/** A complete, valid upload query for a mailbox owner. */
export function messageQuery(userId: string, overrides: Partial<Record<keyof EdgeVoicemailUpload, string | number>> = {}) {
  return { callId: newCallId(), userId, from: '+441614960001', receivedAt: Date.now() - 30_000, durationMs: 12_500, ...overrides };
}

/** Leaves a message as the edge does and returns its id; fails the test unless it was stored (201). */
export async function leaveMessage(
  userId: string,
  overrides: Partial<Record<keyof EdgeVoicemailUpload, string | number>> = {},
  body: Uint8Array<ArrayBuffer> = audioBytes(2048),
): Promise<string> {
  const res = await uploadMessage(messageQuery(userId, overrides), body);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return (await json(res)).id;
}

/** The edge asking for a user's greeting. */
export function edgeGreeting(
  userId: string,
  headers: Record<string, string> = {},
  authorization: string | null = `Bearer ${env.EDGE_API_SECRET}`,
) {
  return SELF.fetch(`${ORIGIN}/api/edge/voicemail/greetings/${encodeURIComponent(userId)}`, {
    headers: { ...(authorization ? { Authorization: authorization } : {}), ...headers },
  });
}

/** A signed-in client's request with a raw (non-JSON) body, as the PWA uploads a recording. */
export function rawCall(client: Client, method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}) {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method,
    headers: {
      'CF-Connecting-IP': client.ip,
      Origin: ORIGIN,
      ...(client.cookie ? { Cookie: client.cookie } : {}),
      ...headers,
    },
    body,
  });
}

/** Uploads a greeting as the PWA does. */
export function putGreeting(client: Client, body: BodyInit, durationMs: number | string = 4200, contentType = 'audio/webm;codecs=opus') {
  return rawCall(client, 'PUT', `/api/voicemail/greeting?durationMs=${durationMs}`, body, { 'Content-Type': contentType });
}

/** Every R2 key under a prefix. */
export async function audioKeys(prefix = 'voicemail/'): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.AUDIO.list({ prefix, cursor });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}

/** The R2 key of a message, straight from D1. */
export async function keyOfMessage(id: string): Promise<string | null> {
  return env.DB.prepare('SELECT r2_key FROM voicemail_messages WHERE id = ?').bind(id).first<string>('r2_key');
}

/** The live events of a kind a user's devices were sent (waits briefly: they are published after the answer). */
export async function liveEventsFor(businessId: string, userId: string, kind: string, expect = 1): Promise<Array<Record<string, unknown>>> {
  const hub = env.LIVE_HUB.getByName(businessId);
  let events: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 40; i++) {
    events = await runInDurableObject(hub, (instance: LiveHub) =>
      // biome-ignore lint/complexity/useLiteralKeys: the store is private; tests read it as the hub would replay it
      instance['store']
        .eventsAfter(0, userId)
        .map((e: { event: Record<string, unknown> }) => e.event)
        .filter((e: Record<string, unknown>) => e.kind === kind),
    );
    if (events.length >= expect) return events;
    await new Promise((r) => setTimeout(r, 25));
  }
  return events;
}

/** A licensed business (voicemail on every seat) with its user and admin signed in. */
export async function voicemailBusiness() {
  const b = await seedBusiness({ pool: 2, licensed: true });
  const owner = await signedIn(b.user.email, b.user.password);
  const colleague = await signedIn(b.admin.email, b.admin.password);
  return { ...b, owner, colleague };
}
