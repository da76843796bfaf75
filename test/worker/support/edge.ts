import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { RouteRequest } from '../../../worker/edge/route-types';

/** Asks the Worker for a routing decision as the media edge does (the right bearer secret unless told otherwise). */
export function askRoute(
  body: Partial<RouteRequest> | string,
  authorization: string | null = `Bearer ${env.EDGE_API_SECRET}`,
): Promise<Response> {
  return SELF.fetch('https://app.test/api/edge/route', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify({ callId: `call-${crypto.randomUUID()}`, ...body }),
  });
}

/** Gives a user one of their business's numbers. */
export async function assignNumber(businessId: string, e164: string, userId: string): Promise<void> {
  await env.DB.prepare('UPDATE numbers SET assigned_user_id = ? WHERE business_id = ? AND e164 = ?').bind(userId, businessId, e164).run();
}

/** Makes calls of a user go out and come in on another number of their business. */
export async function overrideNumber(businessId: string, userId: string, e164: string): Promise<void> {
  await env.DB.prepare(
    'UPDATE users SET override_number_id = (SELECT id FROM numbers WHERE business_id = ?1 AND e164 = ?3) WHERE business_id = ?1 AND id = ?2',
  )
    .bind(businessId, userId, e164)
    .run();
}

/** Sets a user's status (active, suspended, terminated). */
export async function setUserStatus(businessId: string, userId: string, status: string): Promise<void> {
  await env.DB.prepare('UPDATE users SET status = ? WHERE business_id = ? AND id = ?').bind(status, businessId, userId).run();
}

/** Sets a business's status (trial, active, suspended, terminated). */
export async function setBusinessStatus(businessId: string, status: string): Promise<void> {
  await env.DB.prepare('UPDATE businesses SET status = ? WHERE id = ?').bind(status, businessId).run();
}

/** The national (GB) way of writing one of the seeded London numbers: +4420… → 020 …. */
export function national(e164: string): string {
  const digits = e164.replace('+44', '0');
  return `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`;
}
