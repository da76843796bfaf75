import { defineConfig } from 'vitest/config';

/** The whole suite: tests inside workerd, web tests in jsdom, the media edge, end to end in Chromium. */
export default defineConfig({
  test: {
    projects: ['test/worker/vitest.config.ts', 'test/web/vitest.config.ts', 'test/edge/vitest.config.ts', 'test/e2e/vitest.config.ts'],
  },
});
