import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO } from '../../scripts/lib/seed';
import { launchChromium } from '../support/chromium';
import { heading, outboxMessage } from './support/app';

const appUrl = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('accounts in the browser', () => {
  it('desktop sign-up → confirm by email → sign out → sign in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${appUrl}/signup`);
    expect(await heading(page)).toBe('Create your business account');
    await page.getByLabel('Your name').fill('Dana Desk');
    await page.getByLabel('Business name').fill('Desk & Co');
    await page.getByLabel('Work email').fill('dana@desk.example');
    await page.getByLabel('Password', { exact: true }).fill('a calm and long passphrase');
    await page.getByRole('button', { name: /create/i }).click();
    await expect.poll(() => heading(page)).toBe('Check your email');

    const link = (await outboxMessage(appUrl, 'dana@desk.example')).match(/https?:\/\/\S+\/signup\/confirm\?token=\S+/)?.[0];
    expect(link).toBeTruthy();
    await page.goto(`${appUrl}${new URL(link as string).pathname}${new URL(link as string).search}`);
    await expect.poll(() => heading(page)).toBe('Dialer');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expect.poll(() => heading(page)).toBe('Settings');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('Sign in');

    await page.getByLabel('Work email').fill('dana@desk.example');
    await page.getByLabel('Password', { exact: true }).fill('a calm and long passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => heading(page)).toBe('Dialer');
    await context.close();
  });

  it('phone sign-in with the code read from the dev outbox', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${appUrl}/signin/phone`);
    await page.getByLabel('Mobile number').fill(DEMO.user.mobile);
    await page.getByRole('button', { name: 'Text me a code' }).click();
    const code = (await outboxMessage(appUrl, DEMO.user.mobile)).match(/\b(\d{6})\b/)?.[1] ?? '';
    const input = page.getByLabel('6-digit code');
    expect(await input.getAttribute('autocomplete')).toBe('one-time-code');
    await input.fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => heading(page)).toBe('Dialer');
    await context.close();
  });

  it('five wrong codes lock the number, with a clear message', async () => {
    const mobile = '+12025550177';
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${appUrl}/signin/phone`);
    await page.getByLabel('Mobile number').fill(mobile);
    await page.getByRole('button', { name: 'Text me a code' }).click();
    const right = (await outboxMessage(appUrl, mobile)).match(/\b(\d{6})\b/)?.[1];
    const wrong = right === '000000' ? '111111' : '000000';
    const alert = page.getByRole('alert');
    for (let i = 1; i <= 5; i++) {
      await page.getByLabel('6-digit code').fill(wrong);
      await page.getByRole('button', { name: 'Continue' }).click();
      if (i < 5) await expect.poll(() => alert.textContent()).toMatch(new RegExp(`${5 - i} tr(y|ies) left`));
    }
    await expect.poll(() => alert.textContent()).toMatch(/locked for 5 minutes/);
    await context.close();
  });
});
