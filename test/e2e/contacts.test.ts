import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
  await browser?.close();
});

/** A signed-in device on the contacts list, its service worker in control (so it keeps working offline). */
async function device(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext();
  await signInAs(context, appUrl, DEMO.user.email, DEMO.user.password);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Requests refused while offline are expected; anything else is not.
    if (m.type() === 'error' && !/net::ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  await page.goto(`${appUrl}/contacts`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect.poll(() => heading(page)).toBe('Contacts');
  return { context, page, errors };
}

/** The names in the list as shown. */
const names = (page: Page) => page.locator('.contact-name').allTextContents();

async function fillNewContact(page: Page, first: string, last: string, number: string) {
  await page.getByRole('link', { name: 'Add contact' }).click();
  await expect.poll(() => heading(page)).toBe('New contact');
  await page.getByLabel('First name').fill(first);
  await page.getByLabel('Last name').fill(last);
  await page.getByLabel('Number 1', { exact: true }).fill(number);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => heading(page)).toBe(`${first} ${last}`);
}

describe('contacts across devices', () => {
  it('an edit made offline on one device reaches the other once it reconnects', async () => {
    const a = await device();
    const b = await device();

    // Made online on A, it reaches B.
    await fillNewContact(a.page, 'Olive', 'Online', '020 7946 0501');
    await b.page.reload();
    await expect.poll(() => names(b.page)).toContain('Olive Online');

    // A goes offline: it edits that contact and adds another, both kept on A.
    await a.context.setOffline(true);
    await a.page.getByRole('link', { name: 'Edit' }).click();
    await a.page.getByLabel('Company').fill('Edited Offline Ltd');
    await a.page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => a.page.getByText('Edited Offline Ltd').count()).toBe(1);
    await a.page.getByRole('link', { name: '← All contacts' }).click();
    await fillNewContact(a.page, 'Otto', 'Offline', '+1 202 555 0177');
    expect(await a.page.getByRole('status').filter({ hasText: 'sent to your account when you are online' }).count()).toBe(1);
    await a.page.getByRole('link', { name: '← All contacts' }).click();
    await expect.poll(() => names(a.page)).toEqual(expect.arrayContaining(['Olive Online', 'Otto Offline']));
    expect(await a.page.getByText(/2 changes are waiting to be sent/).count()).toBe(1);

    // Nothing reached the account yet.
    await b.page.reload();
    await expect.poll(() => names(b.page)).toContain('Olive Online');
    expect(await names(b.page)).not.toContain('Otto Offline');

    // A reconnects and sends; B, open all along, hears of it over the live channel and pulls (no reload).
    await a.context.setOffline(false);
    await expect.poll(() => a.page.getByText(/waiting to be sent/).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => names(b.page), { timeout: 15_000 }).toEqual(expect.arrayContaining(['Olive Online', 'Otto Offline']));
    await b.page.locator('.contact-name', { hasText: 'Olive Online' }).click();
    await expect.poll(() => b.page.getByText('Edited Offline Ltd').count()).toBe(1);
    expect(await b.page.getByRole('link', { name: /^Call Olive Online/ }).getAttribute('href')).toBe('/?dial=%2B442079460501');

    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it('imports a vCard file through the page’s worker, and searches it on the device', async () => {
    const { context, page, errors } = await device();
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('Import contacts');
    await page.getByLabel('Choose a vCard (.vcf) or CSV file').setInputFiles(join(import.meta.dirname, '../fixtures/contacts/ios-3.0.vcf'));
    const preview = page.getByRole('region', { name: /ios-3\.0\.vcf/ });
    await preview.waitFor();
    expect(await preview.textContent()).toContain('New contacts3');
    await preview.getByRole('button', { name: 'Import 3 contacts' }).click();
    await expect.poll(() => page.getByText(/Done: 3 new/).count()).toBe(1);
    await page.getByRole('link', { name: 'See your contacts' }).click();
    await page.getByLabel('Search contacts').fill('apple');
    await expect.poll(() => names(page)).toEqual(['Johnny Appleseed']);
    await page.getByLabel('Search contacts').fill('900124');
    await expect.poll(() => names(page)).toEqual(['José Müller']);
    expect(errors).toEqual([]);
    await context.close();
  });
});
