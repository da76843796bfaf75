import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../scripts/lib/seed';
import { launchChromium } from '../support/chromium';
import { audioFlows, noCall, type OpenPhone, openPhone } from './support/phone';

/**
 * A whole call with the keyboard alone, as a screen-reader or keyboard user
 * makes it: the dial field and the call controls are reached with Tab,
 * answered with Enter on the focused Answer button, and every control has
 * the accessible name a screen reader announces.
 */
let browser: Browser;
let admin: OpenPhone;
let user: OpenPhone;

/** Presses Tab until the focused element matches `name` (its accessible text or label); fails after `max` presses. */
async function tabTo(page: Page, name: RegExp, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const labelled = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
      return el.getAttribute('aria-label') ?? labelled ?? el.textContent ?? '';
    });
    if (name.test(focused.trim())) return;
  }
  throw new Error(`${name} was not reached with Tab`);
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

beforeAll(async () => {
  browser = await launchChromium();
  admin = await openPhone(browser, DEMO.admin.email, DEMO.admin.password);
  user = await openPhone(browser, DEMO.user.email, DEMO.user.password);
});
afterAll(async () => {
  await browser?.close();
});

describe('calling with the keyboard alone', () => {
  it('dial, answer, mute and hang up without a pointer; every control is labelled', async () => {
    // The dialer: the number field is reached with Tab and labelled.
    await tabTo(admin.page, /^Number to call$/);
    await admin.page.keyboard.type('020 7946 0102');
    await admin.page.keyboard.press('Enter');

    // The callee: the incoming call is an alert dialog named by the caller, with Answer focused.
    const incoming = user.page.getByRole('alertdialog');
    await incoming.waitFor();
    expect(await incoming.ariaSnapshot()).toMatch(/button "Answer"[\s\S]*button "Decline"/);
    await expect.poll(() => focusedText(user.page)).toBe('Answer');
    await user.page.keyboard.press('Enter');
    await audioFlows(admin.page);

    // In the call: the controls a screen reader announces.
    const controls = await admin.page.locator('.in-call').ariaSnapshot();
    for (const name of ['Mute', 'Hold', 'Keypad', 'Transfer', 'Devices', 'Hang up']) expect(controls).toContain(`button "${name}"`);

    // Mute with Space on the focused toggle: its pressed state says so.
    await tabTo(admin.page, /^Mute$/);
    await admin.page.keyboard.press('Space');
    await expect.poll(() => admin.page.getByRole('button', { name: 'Unmute' }).getAttribute('aria-pressed')).toBe('true');

    // The keypad opens from the keyboard and its keys are named for what they send.
    await tabTo(admin.page, /^Keypad$/);
    await admin.page.keyboard.press('Enter');
    await admin.page.getByRole('button', { name: 'Send 5' }).waitFor();

    await tabTo(admin.page, /^Hang up$/);
    await admin.page.keyboard.press('Enter');
    await noCall(admin.page);
    await noCall(user.page);
  });

  it('declines from the keyboard', async () => {
    await admin.page.getByLabel('Number to call').fill('020 7946 0102');
    await admin.page.getByLabel('Number to call').press('Enter');
    await user.page.getByRole('alertdialog').waitFor();
    await tabTo(user.page, /^Decline$/, 5);
    await user.page.keyboard.press('Enter');
    await noCall(user.page);
    await noCall(admin.page);
  });
});
