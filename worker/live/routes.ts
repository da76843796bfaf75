import { Hono } from 'hono';
import { currentSession } from '../auth/sessions';
import type { AppEnv } from '../platform/context';
import { problemResponse } from '../platform/errors';
import { Problem, problems } from '../platform/problem';
import { HUB_IDENTITY_HEADERS } from './hub';

/**
 * `GET /api/live`: the live channel. Checks the upgrade, the page's origin
 * and the session here, then hands the socket to the caller's business hub
 * with an identity the hub trusts (it is reachable only from this Worker).
 */
export const liveRoutes = new Hono<AppEnv>().get('/', async (c) => {
  if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
    const res = problemResponse(c, new Problem(426, 'upgrade_required', 'Expected a WebSocket upgrade', 'Connect with a WebSocket.'));
    res.headers.set('Upgrade', 'websocket');
    return res;
  }
  // A WebSocket is not covered by SameSite or CORS: another site's page could
  // open one with our cookie, so the browser-set Origin must be ours.
  const origin = c.req.header('Origin');
  if (!origin || (origin !== new URL(c.req.url).origin && origin !== c.env.APP_ORIGIN)) {
    throw new Problem(403, 'bad_origin', 'Request from another site refused');
  }
  const auth = await currentSession(c);
  if (!auth) throw problems.unauthenticated();

  const hub = c.env.LIVE_HUB.getByName(auth.businessId);
  const res = await hub.fetch('https://live-hub/connect', {
    headers: {
      Upgrade: 'websocket',
      [HUB_IDENTITY_HEADERS.user]: auth.userId,
      // The session is the device: each signed-in browser or installed app has its own.
      [HUB_IDENTITY_HEADERS.device]: auth.sessionId,
      [HUB_IDENTITY_HEADERS.session]: auth.sessionId,
    },
  });
  if (res.status !== 101 || !res.webSocket) throw new Error(`live hub refused the upgrade: ${res.status}`);
  // A fresh response: the hub's is immutable, and later middleware adds headers.
  return new Response(null, { status: 101, webSocket: res.webSocket });
});
