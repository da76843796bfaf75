import { readFileSync } from 'node:fs';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { LOCAL_EDGE_WS_URL } from '../shared/config.ts';
import { securityHeaders } from '../shared/security-headers.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
/** The media edge the deployed app talks to; the CSP allows exactly this origin. */
const edgeWsUrl = process.env.EDGE_WS_URL ?? LOCAL_EDGE_WS_URL;

/**
 * Writes `_headers` for Workers static assets: the same security headers the
 * Worker puts on API responses, hashed assets cached for a year, and the
 * service worker and HTML always revalidated so updates are seen.
 */
function staticHeaders(): Plugin {
  return {
    name: 'softphone-static-headers',
    apply: 'build',
    generateBundle() {
      const security = Object.entries(securityHeaders({ edgeWsUrl }))
        .map(([name, value]) => `  ${name}: ${value}`)
        .join('\n');
      const source = [
        `/*\n${security}`,
        '/assets/*\n  Cache-Control: public, max-age=31536000, immutable',
        '/sw.js\n  Cache-Control: no-cache',
        '/index.html\n  Cache-Control: no-cache',
        '',
      ].join('\n');
      this.emitFile({ type: 'asset', fileName: '_headers', source });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  plugins: [
    preact(),
    staticHeaders(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      // We register ourselves with workbox-window and ask before updating.
      injectRegister: false,
      registerType: 'prompt',
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,ico}'],
        rollupFormat: 'iife',
      },
      manifest: {
        id: '/',
        name: 'Softphone — your business phone',
        short_name: 'Softphone',
        description: 'Make and take calls on your business number, with contacts, history, voicemail and SMS.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#0b57d0',
        background_color: '#ffffff',
        categories: ['business', 'productivity', 'utilities'],
        // `tel:` links open the dialer with the number filled in.
        protocol_handlers: [{ protocol: 'tel', url: '/?dial=%s' }],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        shortcuts: [
          { name: 'Dial', short_name: 'Dial', url: '/', icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
          { name: 'Contacts', url: '/contacts', icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
          { name: 'Voicemail', url: '/voicemail', icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
          { name: 'Messages', url: '/messages', icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
        ],
      },
    }),
  ],
});
