/**
 * Where policy plugs into routing. Each hook returns a decision that
 * overrides the normal route, or undefined for "no objection". They are
 * deliberately empty today; their issues fill them in.
 */
import type { Caller } from './route-lookups';
import type { RouteDecision } from './route-types';

/** May this caller place calls at all? Later: the seat's licence has calling. */
export function callerPolicy(_caller: Caller): RouteDecision | undefined {
  return undefined;
}

/**
 * May this call leave for the phone network? Later: the pay-as-you-go
 * spending limit (checked before the call starts), premium and high-risk
 * destinations, bursts of calls (fraud: `block`, and an alert for the admin).
 */
export function outboundPolicy(_caller: Caller, _e164: string): RouteDecision | undefined {
  return undefined;
}

/**
 * Should these users' devices ring? Later: do-not-disturb (from the
 * business's LiveHub) sends the call to `voicemail` instead.
 */
export function ringPolicy(_businessId: string, _targets: string[]): RouteDecision | undefined {
  return undefined;
}
