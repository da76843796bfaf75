import type { Logger } from './log';

/** Hono's environment for every route: the bindings plus per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: Logger;
  };
}
