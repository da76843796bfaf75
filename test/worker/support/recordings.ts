/** Recordings as the media edge delivers them, for the worker tests. */
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { RECORDING_CONTENT_TYPE, RECORDING_SHA256_HEADER } from '../../../shared/admin-api';
import { seedBusiness, signedIn } from './api';
import { newCallId, route } from './calls';
import { assignNumber } from './edge';

/** A number of the simulated phone network: calls to it are outbound. */
export const EXTERNAL = '+441614960001';

/** A business whose user has a number, recording bought and switched on unless told otherwise, admin and user signed in. */
export async function recordingBusiness(options: { purchased?: boolean; enabled?: boolean } = {}) {
  const b = await seedBusiness({ pool: 3, licensed: true });
  await assignNumber(b.business.id, b.numbers[0] as string, b.user.id);
  await env.DB.prepare('UPDATE businesses SET recording_purchased = ?, recording_enabled = ? WHERE id = ?')
    .bind(options.purchased === false ? 0 : 1, options.enabled === false ? 0 : 1, b.business.id)
    .run();
  return { ...b, adminClient: await signedIn(b.admin.email, b.admin.password), userClient: await signedIn(b.user.email, b.user.password) };
}

/** A call the Worker routed (its record exists): the user to the phone network. Returns the SIP Call-ID. */
export async function routedCall(userId: string): Promise<string> {
  const callId = newCallId();
  await route(callId, { source: 'client', fromUser: userId, to: EXTERNAL });
  return callId;
}

/** Some bytes standing in for an MP3 (the Worker stores them as they are). */
export function audioBytes(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed * 7) & 0xff);
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Uploads as the edge agent does: bearer secret, MP3 type, checksum; each overridable. */
export async function upload(
  callId: string,
  body: Uint8Array<ArrayBuffer> | ReadableStream | null,
  options: {
    durationMs?: number | null;
    authorization?: string | null;
    contentType?: string;
    sha256?: string | null;
    query?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  const query =
    options.query ??
    `callId=${encodeURIComponent(callId)}${options.durationMs === null ? '' : `&durationMs=${options.durationMs ?? 61_000}`}`;
  const authorization = options.authorization === undefined ? `Bearer ${env.EDGE_API_SECRET}` : options.authorization;
  const sha256 = options.sha256 === undefined ? (body instanceof Uint8Array ? await sha256Hex(body) : null) : options.sha256;
  return SELF.fetch(`https://app.test/api/edge/recordings?${query}`, {
    method: 'POST',
    headers: {
      'Content-Type': options.contentType ?? RECORDING_CONTENT_TYPE,
      ...(authorization ? { Authorization: authorization } : {}),
      ...(sha256 ? { [RECORDING_SHA256_HEADER]: sha256 } : {}),
      ...options.headers,
    },
    body,
  });
}

/** A routed call with a stored recording of `size` bytes; returns the recording id and its bytes. */
export async function storedRecording(userId: string, size = 5000, seed = 1) {
  const callId = await routedCall(userId);
  const bytes = audioBytes(size, seed);
  const res = await upload(callId, bytes);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  return { id, callId, bytes };
}
