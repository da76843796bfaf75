import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../../', import.meta.url));
const migrations = await readD1Migrations(`${root}worker/migrations`);

/** Worker tests run inside workerd with the real D1 and Durable Objects of wrangler.toml. */
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: `${root}wrangler.toml` },
      miniflare: {
        // The same numbered migrations production applies, applied per test file.
        bindings: { TEST_MIGRATIONS: migrations, AUTH_SECRET: 'test-auth-secret-not-for-production' },
      },
    }),
  ],
  test: {
    name: 'worker',
    include: ['**/*.test.ts'],
    setupFiles: ['./setup.ts'],
  },
});
