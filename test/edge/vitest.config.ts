import { defineConfig } from 'vitest/config';

/** The media edge against real Kamailio, rtpengine, baresip and SIPp, driven by a real `wrangler dev`. */
export default defineConfig({
  test: {
    name: 'edge',
    environment: 'node',
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    // One edge on fixed ports, shared by every file: one file at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
