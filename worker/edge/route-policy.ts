/**
 * Where policy plugs into routing. Each hook returns a decision that
 * overrides the normal route, or undefined for "no objection".
 */
import { featuresFor } from '../admin/licences';
import { spendingAllowance } from '../admin/spending';
import type { Caller } from './route-lookups';
import { type RouteDecision, reject } from './route-types';

/** May this caller place calls at all? Only with a seat whose licence has calling. */
export async function callerPolicy(db: D1Database, caller: Caller): Promise<RouteDecision | undefined> {
  const features = await featuresFor(db, caller.businessId, caller.id);
  return features.calling ? undefined : reject(403, 'Calling not licensed');
}

/**
 * May this call leave for the phone network? The pay-as-you-go spending
 * limit is checked before the call starts, not discovered afterwards.
 * Later: premium and high-risk destinations, bursts (fraud).
 */
export async function outboundPolicy(db: D1Database, caller: Caller, _e164: string): Promise<RouteDecision | undefined> {
  const allowance = await spendingAllowance(db, caller.businessId);
  return allowance.allowed ? undefined : { action: 'block', code: 403, reason: 'Spending limit reached' };
}

/**
 * Whom to ring: users on do-not-disturb never ring. When nobody is left,
 * the call goes to the first target's voicemail, or is busy when their
 * licence has no voicemail.
 */
export async function ringPolicy(db: D1Database, businessId: string, targets: string[]): Promise<{ targets: string[] } | RouteDecision> {
  if (targets.length === 0) return { targets };
  const placeholders = targets.map(() => '?').join(', ');
  const { results } = await db
    .prepare(`SELECT id FROM users WHERE business_id = ? AND dnd = 1 AND id IN (${placeholders})`)
    .bind(businessId, ...targets)
    .all<{ id: string }>();
  const dnd = new Set(results.map((r) => r.id));
  const ringable = targets.filter((t) => !dnd.has(t));
  if (ringable.length > 0) return { targets: ringable };
  const first = targets[0] as string;
  const features = await featuresFor(db, businessId, first);
  return features.voicemail ? { action: 'voicemail', userId: first } : reject(486, 'Do not disturb');
}
