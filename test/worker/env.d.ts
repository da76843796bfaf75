import type { D1Migration } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env {
      /** The numbered migrations, read by the vitest config and applied in setup.ts. */
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
