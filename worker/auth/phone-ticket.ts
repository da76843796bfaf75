import { LIFETIMES } from './lifetimes';
import { base64url, constantTimeEqual, hmacHex } from './tokens';

/**
 * After a code proves a number that has no account, the client gets a short
 * ticket to finish creating a business: the number and an expiry, signed with
 * the Worker's secret, so nothing has to be stored in between.
 */
export async function issuePhoneTicket(secret: string, mobile: string, now = Date.now()): Promise<string> {
  const payload = base64url(new TextEncoder().encode(JSON.stringify({ m: mobile, e: now + LIFETIMES.phoneSignupTicket })));
  return `${payload}.${await hmacHex(secret, `phone-ticket:${payload}`)}`;
}

/** The number a ticket proves, or undefined when it is forged or expired. */
export async function readPhoneTicket(secret: string, ticket: string, now = Date.now()): Promise<string | undefined> {
  const [payload, mac] = ticket.split('.');
  if (!payload || !mac || !constantTimeEqual(mac, await hmacHex(secret, `phone-ticket:${payload}`))) return undefined;
  try {
    const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/'));
    const { m, e } = JSON.parse(json) as { m: unknown; e: unknown };
    return typeof m === 'string' && typeof e === 'number' && e > now ? m : undefined;
  } catch {
    return undefined;
  }
}
