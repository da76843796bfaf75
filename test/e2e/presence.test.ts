import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO } from '../../scripts/lib/seed';
import { launchChromium } from '../support/chromium';
import { heading, signInAs } from './support/app';
import { audioFlows, noCall, openPhone } from './support/phone';

const appUrl = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
/** The admin's extension for the one-tap call (none in the seed): what the Colleagues list dials. */
const ADMIN_EXTENSION = '501';

afterAll(async () => {
  // Whatever happened, nobody stays on do-not-disturb (other tests call them) and the extension goes.
  const context = await browser.newContext();
  try {
    await signInAs(context, appUrl, DEMO.user.email, DEMO.user.password);
    await context.request.put(`${appUrl}/api/me/dnd`, { data: { on: false }, headers: { Origin: appUrl } });
    await signInAs(context, appUrl, DEMO.admin.email, DEMO.admin.password);
    await context.request.put(`${appUrl}/api/me/dnd`, { data: { on: false }, headers: { Origin: appUrl } });
    await context.request.delete(`${appUrl}/api/admin/users/${DEMO.admin.id}/extension`, { headers: { Origin: appUrl } });
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

  it('both see each other’s do-not-disturb; one tap on Call rings the colleague; both are on a call, then available again', async () => {
    const a = await openPhone(browser, DEMO.admin.email, DEMO.admin.password);
    const set = await a.context.request.patch(`${appUrl}/api/admin/users/${DEMO.admin.id}/extension`, {
      data: { extension: ADMIN_EXTENSION },
      headers: { Origin: appUrl },
    });
    expect(set.status(), await set.text()).toBe(200);
    // B opens after the extension was set: its Colleagues list carries it.
    const b = await openPhone(browser, DEMO.user.email, DEMO.user.password);
    const adminOnB = colleague(b.page, DEMO.admin.name);
    const userOnA = colleague(a.page, DEMO.user.name);
    await expect.poll(() => stateOf(adminOnB), { timeout: 10_000 }).toBe('Available');
    await expect.poll(() => stateOf(userOnA), { timeout: 10_000 }).toBe('Available');
    expect(await adminOnB.textContent()).toContain(`Ext. ${ADMIN_EXTENSION}`);

    // Each side's switch, seen live by the other.
    for (const [self, seenByOther] of [
      [a.page, adminOnB],
      [b.page, userOnA],
    ] as const) {
      const toggle = self.getByRole('switch', { name: 'Do not disturb' });
      await expect.poll(() => toggle.getAttribute('aria-checked'), { timeout: 10_000 }).toBe('false');
      await toggle.click();
      await expect.poll(() => stateOf(seenByOther), { timeout: 5000, interval: 50 }).toBe('Do not disturb');
      await toggle.click();
      await expect.poll(() => stateOf(seenByOther), { timeout: 5000, interval: 50 }).toBe('Available');
    }

    // One tap on B's list: A's phone rings, nothing else to do on B's side.
    await adminOnB.getByRole('link', { name: `Call ${DEMO.admin.name}` }).click();
    const incoming = a.page.getByRole('alertdialog');
    await incoming.waitFor({ timeout: 15_000 });
    expect(await incoming.getByRole('heading').textContent()).toBe(DEMO.user.name);
    // B stayed on the dialer (the call screen over it) and called the extension: the name comes from the list.
    expect(new URL(b.page.url()).search).toBe('');
    await expect.poll(() => b.page.locator('.call-screen .caller').textContent()).toBe(DEMO.admin.name);

    await a.page.getByRole('button', { name: 'Answer' }).click();
    await audioFlows(a.page);
    await audioFlows(b.page);
    await expect.poll(() => stateOf(adminOnB), { timeout: 10_000, interval: 100 }).toBe('On a call');
    await expect.poll(() => stateOf(userOnA), { timeout: 10_000, interval: 100 }).toBe('On a call');

    await b.page.getByRole('button', { name: 'Hang up' }).click();
    await noCall(b.page);
    await noCall(a.page);
    await expect.poll(() => stateOf(adminOnB), { timeout: 10_000, interval: 100 }).toBe('Available');
    await expect.poll(() => stateOf(userOnA), { timeout: 10_000, interval: 100 }).toBe('Available');
    await a.context.close();
    await b.context.close();
  });
});
