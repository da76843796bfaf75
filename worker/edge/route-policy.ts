/**
 * Where policy plugs into routing. Each hook returns a decision that
 * overrides the normal route, or undefined for "no objection". The seats,
 * do-not-disturb flags and the voicemail owner arrive with the lookups
 * (route-lookups.ts), so the hooks add no round trip unless they must.
 */
import { monthStart, spentSince, withinLimit } from '../admin/spending';
import type { Caller, Member } from './route-lookups';
import { type RouteDecision, reject } from './route-types';

/** May this caller place calls at all? Only with a seat whose licence has calling. */
export function callerPolicy(caller: Caller): RouteDecision | undefined {
  return caller.features.calling ? undefined : reject(403, 'Calling not licensed');
}

/**
 * May this call leave for the phone network? The spending limit is checked
 * before the call starts, not discovered afterwards: allowed while this
 * month's spend is below it (`withinLimit`). Without a
 * limit there is nothing to add up, so no query. Later: premium and
 * high-risk destinations, bursts (fraud).
 */
export async function outboundPolicy(db: D1Database, caller: Caller, _e164: string, now = Date.now()): Promise<RouteDecision | undefined> {
  if (caller.spendingLimitCents === null) return undefined;
  const spent = await spentSince(db, caller.businessId, monthStart(now));
  return withinLimit(caller.spendingLimitCents, spent) ? undefined : { action: 'block', code: 403, reason: 'Spending limit reached' };
}

/** Who rings, and whose voicemail takes the call if nobody answers. */
export interface Ringing {
  targets: string[];
  voicemailUserId?: string;
}

/**
 * Whom to ring: users on do-not-disturb never ring. The owner's voicemail
 * (when their seat has it) takes the call nobody answers; when everyone is on
 * do-not-disturb the call goes straight there, or is busy without it (as the
 * edge makes every call busy that voicemail would have taken). An
 * empty target list is the caller's to refuse (who the call was for decides
 * how).
 */
export function ringPolicy(targets: Member[], owner: Member | null): Ringing | RouteDecision {
  const voicemailUserId = owner?.features.voicemail ? owner.id : undefined;
  const ringable = targets.filter((t) => !t.dnd).map((t) => t.id);
  if (ringable.length > 0) return voicemailUserId ? { targets: ringable, voicemailUserId } : { targets: ringable };
  return voicemailUserId ? { action: 'voicemail', userId: voicemailUserId } : reject(486, 'Do not disturb');
}
