import { Hono } from 'hono';
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
  const decision = await decideRoute(c.env.DB, request);
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
