import type { RouteNotes } from '../calls/route-notes';
import { type DialTarget, dialTarget, dialTargetAnywhere, inboundNumber } from './dial-target';
import {
  type Caller,
  callerLookup,
  colleagueLookup,
  extensionLookup,
  type Lookup,
  lookUpTogether,
  type Member,
  numberLookup,
  type OwnedNumber,
} from './route-lookups';
import { callerPolicy, outboundPolicy, ringPolicy } from './route-policy';
import { RING_SECONDS, type RouteDecision, type RouteRequest, reject } from './route-types';

const ACTIVE_BUSINESS = new Set(['trial', 'active']);

/**
 * Decides what the edge does with a new call. Never rings across businesses.
 * `notes` collects what the call's record needs (whose call, which way, for whom).
 *
 * Reads take one D1 round trip (two for a number written in national format,
 * which needs the caller's country first; one more for the spending limit
 * when the business has one).
 */
export function decideRoute(db: D1Database, request: RouteRequest, notes: RouteNotes = {}): Promise<RouteDecision> {
  return request.source === 'client' ? fromClient(db, request, notes) : fromPhoneNetwork(db, request, notes);
}

/** What a dialled target turned out to be, within the caller's business or platform-wide for numbers. */
type Found = { kind: 'member'; member: Member | null } | { kind: 'number'; number: OwnedNumber | null };

type KnownTarget = Exclude<DialTarget, { kind: 'unknown' }>;

function targetLookup(db: D1Database, callerId: string, target: KnownTarget): Lookup<Found> {
  switch (target.kind) {
    case 'user':
      return asMember(colleagueLookup(db, callerId, target.userId));
    case 'extension':
      return asMember(extensionLookup(db, callerId, target.extension));
    case 'number': {
      const lookup = numberLookup(db, target.e164);
      return { statement: lookup.statement, read: (rows) => ({ kind: 'number', number: lookup.read(rows) }) };
    }
  }
}

function asMember(lookup: Lookup<Member | null>): Lookup<Found> {
  return { statement: lookup.statement, read: (rows) => ({ kind: 'member', member: lookup.read(rows) }) };
}

async function fromClient(db: D1Database, request: RouteRequest, notes: RouteNotes): Promise<RouteDecision> {
  // The target's lookup is scoped to the caller's business by a subquery, so
  // it can go with the caller's unless reading it needs the caller's country.
  const early = dialTargetAnywhere(request.to);
  const [caller, earlyFound] = await lookUpTogether(
    db,
    callerLookup(db, request.fromUser),
    early && early.kind !== 'unknown' ? targetLookup(db, request.fromUser, early) : undefined,
  );
  // Even a refused call of a known user is recorded (a suspended user's attempts matter to the admin).
  if (caller) Object.assign(notes, { businessId: caller.businessId, callerUserId: caller.id, direction: 'outbound', ourNumber: null });
  // A credential outlives a suspension by up to its lifetime: the edge asks every time.
  if (caller?.status !== 'active' || !ACTIVE_BUSINESS.has(caller.businessStatus)) return reject(403);
  const refused = callerPolicy(caller);
  if (refused) return refused;

  const target = early ?? dialTarget(request.to, caller.country);
  if (target.kind === 'unknown') return reject(404);
  const found = earlyFound ?? (await lookUpTogether(db, targetLookup(db, caller.id, target)))[0];

  if (found.kind === 'member') {
    const user = found.member;
    if (!user) return reject(404);
    Object.assign(notes, { direction: 'internal', targets: [user.id] });
    // A call for one user goes to their own voicemail; recording follows the caller's seat (they placed it).
    return ring([user], user, false, caller);
  }
  if (target.kind !== 'number') return reject(404);

  notes.remoteNumber = target.e164;
  const owned = found.kind === 'number' ? found.number : null;
  if (owned) {
    // One of the platform's numbers: only our own business's numbers ring here.
    if (owned.businessId !== caller.businessId) return reject(404);
    Object.assign(notes, { direction: 'internal', remoteNumber: null, targets: owned.targets.map((t) => t.id) });
    return ringNumber(owned, false, caller);
  }

  notes.ourNumber = caller.callerId;
  if (!caller.callerId) return reject(403, 'No business number');
  return (
    (await outboundPolicy(db, caller, target.e164)) ?? {
      action: 'phone_network',
      number: target.e164,
      callerId: caller.callerId,
      ...recording(caller),
    }
  );
}

async function fromPhoneNetwork(db: D1Database, request: RouteRequest, notes: RouteNotes): Promise<RouteDecision> {
  const e164 = inboundNumber(request.to);
  const owned = e164 ? (await lookUpTogether(db, numberLookup(db, e164)))[0] : null;
  if (!owned) return reject(404);
  Object.assign(notes, {
    businessId: owned.businessId,
    direction: 'inbound',
    ourNumber: e164,
    remoteNumber: inboundNumber(request.fromUser) ?? null,
  });
  if (!ACTIVE_BUSINESS.has(owned.businessStatus)) return reject(480);
  notes.targets = owned.targets.map((t) => t.id);
  // The phone network speaks plain RTP: rtpengine bridges it to WebRTC. The number's owner is our side.
  return ringNumber(owned, true, owned.owner);
}

/**
 * Rings whoever answers on one of our numbers. Nobody does: the main number
 * (the business's public line) still takes a message in its owner's
 * voicemail, and is busy (486) without it, like every call voicemail would
 * have taken; any other number is unavailable (480) — a spare pool number is
 * nobody's line, and a user who moved to an override takes calls there.
 */
function ringNumber(owned: OwnedNumber, anchorMedia: boolean, ourSide: { features: Caller['features'] } | null): RouteDecision {
  if (owned.targets.length === 0) {
    if (owned.kind !== 'main') return reject(480);
    const owner = owned.owner;
    return owner?.features.voicemail ? { action: 'voicemail', userId: owner.id } : reject(486);
  }
  return ring(owned.targets, owned.owner, anchorMedia, ourSide);
}

/**
 * A ring decision after do-not-disturb, with the owner's voicemail behind it
 * and recording decided by the seat of the user on our side (`ourSide`: the
 * caller for their own calls, the number's owner for calls from the phone network).
 */
function ring(
  targets: Member[],
  owner: Member | null,
  anchorMedia: boolean,
  ourSide: { features: Caller['features'] } | null,
): RouteDecision {
  const allowed = ringPolicy(targets, owner);
  if ('action' in allowed) return allowed;
  return {
    action: 'ring',
    targets: allowed.targets,
    ringSeconds: RING_SECONDS,
    anchorMedia,
    ...(allowed.voicemailUserId ? { voicemailUserId: allowed.voicemailUserId } : {}),
    ...recording(ourSide),
  };
}

/**
 * `record: true` only when the business bought recording, the admin switched
 * it on and the seat has it (all folded into `features.recording`); absent
 * otherwise, so the edge's default is never to record.
 */
function recording(ourSide: { features: Caller['features'] } | null): { record?: true } {
  return ourSide?.features.recording ? { record: true } : {};
}
