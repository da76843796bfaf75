import { Hono } from 'hono';
import type { AppEnv } from '../platform/context';
import { jsonBody } from '../platform/validate';
import { requireEdgeSecret } from './edge-auth';
import { registrationDecision, registrationRequest } from './registration-decision';

/**
 * The media edge asks here whether a user may register (Kamailio's
 * http_client, the routing decision's 1-second timeout and bearer secret).
 * Always 200 with a decision: a refusal is a decision too, and anything else
 * (an error, no answer) makes the edge let the registration through.
 */
export const edgeRegistrationRoutes = new Hono<AppEnv>().post('/registration', requireEdgeSecret, async (c) => {
  const { userId } = await jsonBody(c, registrationRequest);
  const decision = await registrationDecision(c.env.DB, userId);
  if (!decision.allowed) c.get('log')('info', 'edge registration refused', { userId, reason: decision.reason });
  c.header('Cache-Control', 'no-store');
  return c.json(decision);
});
