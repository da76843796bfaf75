import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

/** Web tests: components and modules of the PWA in jsdom. */
export default defineConfig({
  plugins: [preact()],
  define: { __APP_VERSION__: JSON.stringify('test') },
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['**/*.test.{ts,tsx}'],
    setupFiles: ['./support/setup.ts'],
  },
});
