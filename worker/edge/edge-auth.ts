import type { MiddlewareHandler } from 'hono';
import { constantTimeEqual } from '../auth/tokens';
import type { AppEnv } from '../platform/context';
import { Problem } from '../platform/problem';

/**
 * Only the media edge may call the edge API: `Authorization: Bearer
 * <EDGE_API_SECRET>`, compared in constant time. Without a configured secret
 * nothing passes.
 */
export const requireEdgeSecret: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secret = c.env.EDGE_API_SECRET;
  const presented = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
  if (!secret || !presented || !constantTimeEqual(presented, secret)) {
    c.header('WWW-Authenticate', 'Bearer realm="edge"');
    throw new Problem(401, 'edge_unauthorized', 'Not the media edge', 'This API is only for the media edge.');
  }
  await next();
};
