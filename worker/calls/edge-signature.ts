import type { MiddlewareHandler } from 'hono';
import {
  EDGE_SIGNATURE_HEADER,
  EDGE_SIGNATURE_MAX_SKEW_MS,
  EDGE_TIMESTAMP_HEADER,
  edgeSigningKey,
  signedPayload,
} from '../../shared/calls-api';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';

/** Deliveries larger than this are refused before any work (a batch of 500 events is far smaller). */
export const MAX_DELIVERY_BYTES = 1_000_000;

declare module 'hono' {
  interface ContextVariableMap {
    /** The body whose signature was checked, exactly as signed. */
    signedBody: string;
  }
}

const refused = (code: string, detail: string) => new Problem(401, code, 'Not a signed delivery from the media edge', detail);

function hexBytes(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return null;
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

/**
 * Only the media edge may deliver events: `X-Edge-Timestamp` (ms since the
 * epoch, within 5 minutes of our clock, so a captured delivery cannot be
 * replayed later) and `X-Edge-Signature: v1=<hex HMAC-SHA256(EDGE_API_SECRET,
 * timestamp + "." + body)>`, checked with WebCrypto's verify (constant time).
 * Without a configured secret nothing passes.
 */
export const requireEdgeSignature: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secret = c.env.EDGE_API_SECRET;
  const timestamp = c.req.header(EDGE_TIMESTAMP_HEADER) ?? '';
  const signature = /^v1=([0-9a-f]{64})$/.exec(c.req.header(EDGE_SIGNATURE_HEADER) ?? '')?.[1];
  if (!secret || !signature || !/^\d{1,15}$/.test(timestamp)) {
    throw refused('edge_unsigned', 'Sign the delivery with X-Edge-Timestamp and X-Edge-Signature.');
  }
  if (Math.abs(Date.now() - Number(timestamp)) > EDGE_SIGNATURE_MAX_SKEW_MS) {
    throw refused('edge_stale_timestamp', 'The delivery was signed too long ago (or the clocks disagree); sign it again.');
  }
  const length = Number(c.req.header('Content-Length') ?? '0');
  if (length > MAX_DELIVERY_BYTES) throw new Problem(413, 'delivery_too_large', 'The delivery is too large', 'Send smaller batches.');
  const body = await c.req.text();
  if (body.length > MAX_DELIVERY_BYTES) throw new Problem(413, 'delivery_too_large', 'The delivery is too large', 'Send smaller batches.');
  const key = await edgeSigningKey(secret, 'verify');
  const ok = await crypto.subtle.verify('HMAC', key, hexBytes(signature) as Uint8Array<ArrayBuffer>, signedPayload(timestamp, body));
  if (!ok) throw refused('edge_bad_signature', 'The signature does not match the delivery.');
  c.set('signedBody', body);
  await next();
};
