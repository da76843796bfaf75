import { Hono } from 'hono';
import { recordCall } from '../calls/record-context';
import type { RouteNotes } from '../calls/route-notes';
import type { AppEnv } from '../platform/context';
import { jsonBody } from '../platform/validate';
import { requireEdgeSecret } from './edge-auth';
import { decideRoute } from './route-decision';
import { routeRequest } from './route-types';

/**
 * The media edge asks here what to do with each new call (Kamailio's
 * http_client, a 1-second timeout: keep this fast). The answer is always 200
 * with a decision; a refusal is a decision too.
 */
export const edgeRouteRoutes = new Hono<AppEnv>().post('/route', requireEdgeSecret, async (c) => {
  const request = await jsonBody(c, routeRequest);
  const notes: RouteNotes = {};
  // The call's record is written before the answer (docs/calls.md), its own round trip after the
  // decision's reads, never in waitUntil: an event that found no record would stay unattributed
  // (never rebuilt into the call), a write failing after the answer would let an outbound call go
  // out unbilled (an error here instead sends Kamailio to its fallbacks), and a reused Call-ID is
  // refused by that very write.
  const decision = await recordCall(c.env.DB, request, await decideRoute(c.env.DB, request, notes), notes);
  c.get('log')('info', 'edge route decision', {
    callId: request.callId,
    source: request.source,
    fromUser: request.fromUser,
    to: request.to,
    action: decision.action,
    ...(decision.action === 'reject' || decision.action === 'block' ? { code: decision.code } : {}),
  });
  c.header('Cache-Control', 'no-store');
  return c.json(decision);
});
