import type { Logger } from './log';

/** Who is calling, once `requireSession` has checked the cookie. */
export interface AuthContext {
  sessionId: string;
  userId: string;
  businessId: string;
  role: 'user' | 'admin';
}

/** Hono's environment for every route: the bindings plus per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: Logger;
    auth: AuthContext;
  };
}
