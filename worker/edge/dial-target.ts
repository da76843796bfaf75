import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { toE164 } from '../accounts/phone-numbers';

/** What a dialled string names. */
export type DialTarget =
  | { kind: 'user'; userId: string }
  | { kind: 'extension'; extension: string }
  | { kind: 'number'; e164: string }
  | { kind: 'unknown' };

/** Platform user ids as they appear in SIP URIs (`usr_…`). */
const USER_ID = /^usr_[A-Za-z0-9_-]{1,64}$/;

/** Reads what a client dialled: a user id, or a number read in the caller's business country. */
export function dialTarget(to: string, country: string): DialTarget {
  return dialTargetAnywhere(to) ?? numberTarget(to, country);
}

/**
 * What a client dialled when that does not depend on the caller's country
 * (a user id, an extension, a number written with its "+"), else undefined:
 * then its lookup can go to D1 together with the caller's.
 */
export function dialTargetAnywhere(to: string): DialTarget | undefined {
  if (USER_ID.test(to)) return { kind: 'user', userId: to };
  // 2 to 6 digits are an extension (emergency codes can never be one: the admin API refuses them).
  if (/^\d{2,6}$/.test(to)) return { kind: 'extension', extension: to };
  // With its "+", libphonenumber ignores the default country: any country reads it the same.
  return to.startsWith('+') ? numberTarget(to, 'GB') : undefined;
}

function numberTarget(to: string, country: string): DialTarget {
  const e164 = toE164(to, country);
  return e164 ? { kind: 'number', e164 } : { kind: 'unknown' };
}

/**
 * Reads the number a call from the phone network is for. Carriers send E.164
 * with or without the "+"; a national format would need the trunk's country.
 */
export function inboundNumber(to: string): string | undefined {
  const digits = to.replace(/^\+/, '');
  if (!/^\d{6,15}$/.test(digits)) return undefined;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed?.isValid() ? parsed.number : undefined;
}
