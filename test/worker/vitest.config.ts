import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { SANDBOX_POSTMARK_SERVER_TOKEN, SANDBOX_TWILIO_ACCOUNT_SID, SANDBOX_TWILIO_AUTH_TOKEN } from '../support/provider-sandbox.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const migrations = await readD1Migrations(`${root}worker/migrations`);

/** Worker tests run inside workerd with the real D1 and Durable Objects of wrangler.toml. */
export default defineConfig({
  plugins: [
    // A function: the pool resolves it after global-setup.ts has started the provider sandbox.
    cloudflareTest(({ inject }) => {
      const sandboxUrl = inject('providerSandboxUrl');
      if (!sandboxUrl) throw new Error('The provider sandbox did not start (test/worker/global-setup.ts).');
      return {
        wrangler: { configPath: `${root}wrangler.toml` },
        miniflare: {
          bindings: {
            // The same numbered migrations production applies, applied per test file.
            TEST_MIGRATIONS: migrations,
            AUTH_SECRET: 'test-auth-secret-not-for-production',
            // The media edge's shared secrets (SIP credentials, edge → Worker bearer token).
            SIP_AUTH_SECRET: 'test-sip-auth-secret-not-for-production',
            EDGE_API_SECRET: 'test-edge-api-secret-not-for-production',
            // Messaging providers: the loopback sandbox, never the real APIs.
            TWILIO_API_BASE: sandboxUrl,
            POSTMARK_API_BASE: sandboxUrl,
            TWILIO_ACCOUNT_SID: SANDBOX_TWILIO_ACCOUNT_SID,
            TWILIO_AUTH_TOKEN: SANDBOX_TWILIO_AUTH_TOKEN,
            POSTMARK_SERVER_TOKEN: SANDBOX_POSTMARK_SERVER_TOKEN,
          },
        },
      };
    }),
  ],
  test: {
    name: 'worker',
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    setupFiles: ['./setup.ts'],
  },
});
