import { userForExtension } from '../admin/extensions';
import type { RouteNotes } from '../calls/route-notes';
import { dialTarget, inboundNumber } from './dial-target';
import { findActiveUser, findNumber, loadCaller, usersForNumber } from './route-lookups';
import { callerPolicy, outboundPolicy, ringPolicy } from './route-policy';
import { RING_SECONDS, type RouteDecision, type RouteRequest, reject } from './route-types';

const ACTIVE_BUSINESS = new Set(['trial', 'active']);

/**
 * Decides what the edge does with a new call. Never rings across businesses.
 * `notes` collects what the call's record needs (whose call, which way, for whom).
 */
export function decideRoute(db: D1Database, request: RouteRequest, notes: RouteNotes = {}): Promise<RouteDecision> {
  return request.source === 'client' ? fromClient(db, request, notes) : fromPhoneNetwork(db, request, notes);
}

async function fromClient(db: D1Database, request: RouteRequest, notes: RouteNotes): Promise<RouteDecision> {
  const caller = await loadCaller(db, request.fromUser);
  // Even a refused call of a known user is recorded (a suspended user's attempts matter to the admin).
  if (caller) Object.assign(notes, { businessId: caller.businessId, callerUserId: caller.id, direction: 'outbound', ourNumber: null });
  // A credential outlives a suspension by up to its lifetime: the edge asks every time.
  if (caller?.status !== 'active' || !ACTIVE_BUSINESS.has(caller.businessStatus)) return reject(403);
  const refused = await callerPolicy(db, caller);
  if (refused) return refused;

  const target = dialTarget(request.to, caller.country);
  if (target.kind === 'user') {
    const user = await findActiveUser(db, caller.businessId, target.userId);
    if (user) Object.assign(notes, { direction: 'internal', targets: [user] });
    return user ? ring(db, caller.businessId, [user], false) : reject(404);
  }
  if (target.kind === 'extension') {
    const user = await userForExtension(db, caller.businessId, target.extension);
    if (user) Object.assign(notes, { direction: 'internal', targets: [user] });
    return user ? ring(db, caller.businessId, [user], false) : reject(404);
  }
  if (target.kind === 'unknown') return reject(404);

  notes.remoteNumber = target.e164;
  const owned = await findNumber(db, target.e164);
  if (owned) {
    // One of the platform's numbers: only our own business's numbers ring here.
    if (owned.businessId !== caller.businessId) return reject(404);
    const users = await usersForNumber(db, owned);
    Object.assign(notes, { direction: 'internal', remoteNumber: null, targets: users });
    return users.length > 0 ? ring(db, caller.businessId, users, false) : reject(480);
  }

  notes.ourNumber = caller.callerId;
  if (!caller.callerId) return reject(403, 'No business number');
  return (await outboundPolicy(db, caller, target.e164)) ?? { action: 'phone_network', number: target.e164, callerId: caller.callerId };
}

async function fromPhoneNetwork(db: D1Database, request: RouteRequest, notes: RouteNotes): Promise<RouteDecision> {
  const e164 = inboundNumber(request.to);
  const owned = e164 ? await findNumber(db, e164) : null;
  if (!owned) return reject(404);
  Object.assign(notes, {
    businessId: owned.businessId,
    direction: 'inbound',
    ourNumber: e164,
    remoteNumber: inboundNumber(request.fromUser) ?? null,
  });
  if (!ACTIVE_BUSINESS.has(owned.businessStatus)) return reject(480);
  const users = await usersForNumber(db, owned);
  notes.targets = users;
  // TODO(voicemail issue): a number nobody answers on goes to the main number's voicemail.
  if (users.length === 0) return reject(480);
  // The phone network speaks plain RTP: rtpengine bridges it to WebRTC.
  return ring(db, owned.businessId, users, true);
}

async function ring(db: D1Database, businessId: string, targets: string[], anchorMedia: boolean): Promise<RouteDecision> {
  const allowed = await ringPolicy(db, businessId, targets);
  if ('action' in allowed) return allowed;
  return { action: 'ring', targets: allowed.targets, ringSeconds: RING_SECONDS, anchorMedia };
}
