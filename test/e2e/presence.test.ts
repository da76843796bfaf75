import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO } from '../../scripts/lib/seed';
import { launchChromium } from '../support/chromium';
import { heading, signInAs } from './support/app';

const appUrl = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  // Whatever happened, the demo admin must not stay on do-not-disturb: other tests call them.
  const context = await browser.newContext();
  try {
    await signInAs(context, appUrl, DEMO.admin.email, DEMO.admin.password);
    await context.request.put(`${appUrl}/api/me/dnd`, { data: { on: false }, headers: { Origin: appUrl } });
  } finally {
    await context.close();
    await browser?.close();
  }
});

/** Problems the page reported about the live channel: a CSP refusal or a failed socket. */
const liveProblems: string[] = [];

/** A signed-in user's dialer in their own browser context. */
async function openDialer(email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await signInAs(context, appUrl, email, password);
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && /api\/live|Content Security Policy/i.test(m.text())) liveProblems.push(m.text());
  });
  await page.goto(appUrl);
  await expect.poll(() => heading(page)).toBe('Dialer');
  return { context, page };
}

/** A colleague's row in the Colleagues panel. */
function colleague(page: Page, name: string): Locator {
  return page.getByRole('region', { name: 'Colleagues' }).getByRole('listitem').filter({ hasText: name });
}

async function stateOf(row: Locator): Promise<string> {
  return (
    (await row
      .locator('.colleague-state')
      .textContent({ timeout: 1000 })
      .catch(() => '')) ?? ''
  ).trim();
}

describe('presence between two browsers', () => {
  it('shows a colleague’s do-not-disturb and going offline live', async () => {
    const a = await openDialer(DEMO.admin.email, DEMO.admin.password);
    const b = await openDialer(DEMO.user.email, DEMO.user.password);
    const adminOnB = colleague(b.page, DEMO.admin.name);
    await expect.poll(() => stateOf(adminOnB), { timeout: 10_000 }).toBe('Available');

    // A turns do-not-disturb on from the dialer, in one tap.
    const toggle = a.page.getByRole('switch', { name: 'Do not disturb' });
    await expect.poll(() => toggle.getAttribute('aria-checked'), { timeout: 10_000 }).toBe('false');
    const tapped = Date.now();
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => stateOf(adminOnB), { timeout: 5000, interval: 50 }).toBe('Do not disturb');
    const reachedB = Date.now() - tapped;

    // And off again: B sees it, and A's other screens stop reminding.
    await toggle.click();
    await expect.poll(() => stateOf(adminOnB), { timeout: 5000, interval: 50 }).toBe('Available');

    // A closes the app: B sees A offline.
    await a.context.close();
    await expect.poll(() => stateOf(adminOnB), { timeout: 5000, interval: 100 }).toBe('Offline');
    expect(reachedB).toBeLessThan(5000);
    expect(liveProblems).toEqual([]);
    await b.context.close();
  });
});
