import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO } from '../../scripts/lib/seed';
import { launchChromium, launchProfile } from '../support/chromium';
import { heading, signInAs } from './support/app';

const appUrl = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Collects CSP violations and page errors so a test can assert there were none. */
function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

describe('the PWA shell in Chromium', () => {
  it('renders every screen, navigating by its links, with no CSP violation', async () => {
    const context = await browser.newContext();
    await signInAs(context, appUrl, DEMO.admin.email, DEMO.admin.password);
    const page = await context.newPage();
    const errors = watchForErrors(page);
    const res = await page.goto(appUrl);
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await expect.poll(() => heading(page)).toBe('Dialer');
    for (const [link, title] of [
      ['Contacts', 'Contacts'],
      ['History', 'History'],
      ['Voicemail', 'Voicemail'],
      ['Messages', 'Messages'],
      ['Settings', 'Settings'],
      ['Dialer', 'Dialer'],
    ]) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
      await expect.poll(() => heading(page)).toBe(title);
    }
    // A deep link straight to the admin page is served the app (SPA fallback).
    await page.goto(`${appUrl}/admin`);
    await expect.poll(() => heading(page)).toBe('Business settings');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits a 360 px phone (bottom bar) and a desktop (side rail)', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
    await signInAs(context, appUrl, DEMO.user.email, DEMO.user.password);
    const page = await context.newPage();
    await page.goto(appUrl);
    await expect.poll(() => heading(page)).toBe('Dialer');
    const phone = await page.evaluate(() => {
      const nav = document.querySelector('nav')?.getBoundingClientRect();
      return { scrollWidth: document.documentElement.scrollWidth, navBottom: nav?.bottom, navWidth: nav?.width, height: innerHeight };
    });
    expect(phone.scrollWidth).toBeLessThanOrEqual(360);
    expect(phone.navBottom).toBe(phone.height);
    expect(phone.navWidth).toBe(360);
    await page.setViewportSize({ width: 1280, height: 800 });
    const desktop = await page.evaluate(() => {
      const nav = document.querySelector('nav')?.getBoundingClientRect();
      return { navLeft: nav?.left, navWidth: nav?.width, scrollWidth: document.documentElement.scrollWidth };
    });
    expect(desktop.navLeft).toBe(0);
    expect(desktop.navWidth).toBeLessThan(300);
    expect(desktop.scrollWidth).toBeLessThanOrEqual(1280);
    await context.close();
  });

  it('is installable: Chromium reports no manifest or installability errors', async () => {
    // Incognito windows are never installable: use a real profile.
    const context = await launchProfile();
    const page = await context.newPage();
    await page.goto(appUrl);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; url: string };
    expect(manifest.url).toBe(`${appUrl}/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    await context.close();
  });

  it('is controlled by the service worker and loads offline after one visit', async () => {
    const context = await browser.newContext();
    await signInAs(context, appUrl, DEMO.user.email, DEMO.user.password);
    const page = await context.newPage();
    await page.goto(appUrl);
    await page.evaluate(() => navigator.serviceWorker.ready);
    // The first visit installs the worker; it claims the page on activation.
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => heading(page)).toBe('Dialer');
    expect(await page.getByRole('status').first().textContent()).toContain('You are offline');
    // A deep link never visited before also opens from the cached shell.
    await page.goto(`${appUrl}/voicemail`);
    await expect.poll(() => heading(page)).toBe('Voicemail');
    // The API is never served from the cache: offline, it fails.
    const api = await page.evaluate(() =>
      fetch('/api/health').then(
        (r) => r.status,
        () => 'network error',
      ),
    );
    expect(api).toBe('network error');
    await context.close();
  });

  it('answers unknown API paths with a problem, never the app', async () => {
    const res = await fetch(`${appUrl}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
