/**
 * Renders the app icons (PNG) from web/public/icons/icon.svg with Debian's
 * Chromium. Run by hand when the logo changes: `npx tsx scripts/make-icons.ts`;
 * the PNGs are committed.
 */
import { readFileSync } from 'node:fs';
import { launchChromium } from '../test/support/chromium';

const dir = new URL('../web/public/icons/', import.meta.url);
const svg = readFileSync(new URL('icon.svg', dir), 'utf8');
const svgData = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const render = async (size: number, file: string, maskable: boolean) => {
    await page.setViewportSize({ width: size, height: size });
    // A maskable icon is full-bleed: the glyph stays inside the central 80 % safe zone.
    const html = maskable
      ? `<body style="margin:0;background:#0b57d0;display:grid;place-items:center;height:${size}px"><img src="${svgData}" style="width:${Math.round(size * 0.8)}px"></body>`
      : `<body style="margin:0;background:transparent"><img src="${svgData}" style="width:${size}px;display:block"></body>`;
    await page.setContent(html);
    await page.screenshot({ path: new URL(file, dir).pathname, omitBackground: !maskable });
  };
  await render(192, 'icon-192.png', false);
  await render(512, 'icon-512.png', false);
  await render(512, 'maskable-512.png', true);
} finally {
  await browser.close();
}
