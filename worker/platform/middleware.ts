import type { MiddlewareHandler } from 'hono';
import { securityHeaders } from '../../shared/security-headers';
import type { AppEnv } from './context';
import { requestLogger } from './log';

/** Gives each request an id: on the response (`X-Request-Id`) and on every log line. */
export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const id = crypto.randomUUID();
  c.set('requestId', id);
  c.set('log', requestLogger(id));
  await next();
  c.res.headers.set('X-Request-Id', id);
};

/** Adds the shared security headers to every response the Worker makes. */
export const secureHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  // WebSocket upgrades carry an immutable response; headers do not apply to them.
  if (c.res.status === 101) return;
  const headers = securityHeaders({ edgeWsUrl: c.env.EDGE_WS_URL });
  for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
};
