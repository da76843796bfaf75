/**
 * Whether a user may register a device at the media edge. A SIP credential
 * outlives a suspension by up to its lifetime (worker/sip/credentials.ts), so
 * Kamailio asks here on each REGISTER it has not recently been told "yes" for
 * (edge/kamailio/registration-policy.cfg); leaving (expires 0) never asks.
 */
import { z } from 'zod';
import { readSeatFeatures, SEAT_FEATURES } from '../admin/licences';

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
 * The same rule as minting credentials (`SEAT_FEATURES`' calling: an active
 * user of an active or trial business whose seat has calling), read in one
 * statement; the reason says which part failed, for the person at the phone.
 */
export async function registrationDecision(db: D1Database, userId: string): Promise<RegistrationDecision> {
  const row = await db
    .prepare(
      `SELECT u.status, b.status AS business_status, ${SEAT_FEATURES}
         FROM users u
         JOIN businesses b ON b.id = u.business_id
         LEFT JOIN user_licences l ON l.business_id = u.business_id AND l.user_id = u.id
        WHERE u.id = ?`,
    )
    .bind(userId)
    .first<Record<string, unknown>>();
  if (!row) return refuse('Unknown user');
  if (row.status === 'suspended') return refuse('Account suspended');
  if (row.status !== 'active') return refuse('Account closed');
  if (row.business_status === 'suspended') return refuse('Business suspended');
  if (row.business_status !== 'trial' && row.business_status !== 'active') return refuse('Business closed');
  return readSeatFeatures(row).calling ? { allowed: true } : refuse('Calling not licensed');
}
