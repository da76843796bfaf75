import { defineConfig } from 'vitest/config';

/** End-to-end tests: Debian's Chromium against a real `wrangler dev` (and the media edge). */
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    // One browser at a time on a 2-core machine; files share one wrangler dev.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
