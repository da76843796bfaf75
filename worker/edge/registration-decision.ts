/**
 * Whether a user may register a device at the media edge. A SIP credential
 * outlives a suspension by up to its lifetime (worker/sip/credentials.ts), so
 * Kamailio asks here on each REGISTER it has not recently been told "yes" for
 * (edge/kamailio/registration-policy.cfg); leaving (expires 0) never asks.
 */
import { z } from 'zod';
import { callerLookup, lookUpTogether } from './route-lookups';
import { callerPolicy } from './route-policy';

/** What Kamailio sends (`POST /api/edge/registration`) once the credential checked out. */
export const registrationRequest = z.object({
  /** The registering user: the address-of-record's user part, which Kamailio checked against the credential. */
  userId: z.string().min(1).max(128),
});
export type RegistrationRequest = z.infer<typeof registrationRequest>;

/** The Worker's answer. A refusal's `reason` is the reason phrase of Kamailio's 403 (letters, digits, spaces). */
export type RegistrationDecision = { allowed: true } | { allowed: false; reason: string };

const refuse = (reason: string): RegistrationDecision => ({ allowed: false, reason });

/**
 * The same rule as minting credentials and placing calls: an active user of an
 * active or trial business whose seat has calling. Read with the routing
 * decision's own caller lookup and policy (one statement); the reason says
 * which part failed, for the person at the phone.
 */
export async function registrationDecision(db: D1Database, userId: string): Promise<RegistrationDecision> {
  const [caller] = await lookUpTogether(db, callerLookup(db, userId));
  if (!caller) return refuse('Unknown user');
  if (caller.status === 'suspended') return refuse('Account suspended');
  if (caller.status !== 'active') return refuse('Account closed');
  if (caller.businessStatus === 'suspended') return refuse('Business suspended');
  if (caller.businessStatus !== 'trial' && caller.businessStatus !== 'active') return refuse('Business closed');
  return callerPolicy(caller) ? refuse('Calling not licensed') : { allowed: true };
}
