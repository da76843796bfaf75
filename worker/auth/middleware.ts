import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../platform/context';
import { Problem, problems } from '../platform/problem';
import { currentSession } from './sessions';

/** Routes behind it need a live session; `c.get('auth')` then says who is calling. */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = await currentSession(c);
  if (!auth) throw problems.unauthenticated();
  c.set('auth', auth);
  await next();
};

/** Admin routes: the role is checked on the server, always. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = await currentSession(c);
  if (!auth) throw problems.unauthenticated();
  if (auth.role !== 'admin') throw problems.forbidden('Only an admin of this business can do this.');
  c.set('auth', auth);
  await next();
};

/**
 * Refuses state-changing requests from another origin. With the SameSite
 * cookie this is the CSRF defence; requests without an Origin header (not a
 * browser, or a same-origin GET) pass.
 */
export const sameOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
    const origin = c.req.header('Origin');
    if (origin && origin !== new URL(c.req.url).origin && origin !== c.env.APP_ORIGIN) {
      throw new Problem(403, 'bad_origin', 'Request from another site refused');
    }
  }
  await next();
};
