import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BaresipControl, controlBaresip } from '../../scripts/lib/edge-baresip-ctrl';
import { DEMO } from '../../scripts/lib/seed';
import type { AdminCallRecord } from '../../shared/calls-api';
import { launchChromium } from '../support/chromium';
import { dialFrom, noCall, type OpenPhone, openPhone as open } from './support/phone';

/**
 * Call records end to end: real calls between two browsers and to the phone
 * network, through the real edge (Kamailio's events → the edge agent →
 * the Worker), each leave exactly one correct record, seen in both users'
 * histories; a missed call lights the badge until the history is opened;
 * the history stays readable offline.
 */
const appUrl = inject('appUrl');
const edge = inject('e2eEdge');
let browser: Browser;
let admin: OpenPhone;
let user: OpenPhone;
let gateway: BaresipControl;
const today = () => new Date().toISOString().slice(0, 10);
const USER_NUMBER = '+442079460102';
const openPhone = (email: string, password: string) => open(browser, email, password, { serviceWorker: true });

async function established(page: Page) {
  const call = page.locator('.in-call[data-call-state="established"]');
  await call.waitFor({ timeout: 15_000 });
  await expect.poll(async () => Number(await call.getAttribute('data-packets-in')), { timeout: 10_000 }).toBeGreaterThan(20);
}

/** The business's records of today, as the admin's API gives them. */
async function records(): Promise<AdminCallRecord[]> {
  const res = await admin.context.request.get(`${appUrl}/api/admin/calls?from=${today()}&to=${today()}&limit=500`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { calls: AdminCallRecord[] }).calls;
}

/** Waits for the records that were not there `before` and are finished. */
async function newRecords(before: Set<string>, count: number): Promise<AdminCallRecord[]> {
  let fresh: AdminCallRecord[] = [];
  await expect
    .poll(
      async () => {
        fresh = (await records()).filter((r) => !before.has(r.id));
        return fresh.length === count && fresh.every((r) => r.endedAt !== null);
      },
      { timeout: 20_000, interval: 300 },
    )
    .toBe(true);
  return fresh;
}

async function openHistory(page: Page) {
  await page
    .getByRole('link', { name: /^History/ })
    .first()
    .click();
  await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
}

beforeAll(async () => {
  browser = await launchChromium();
  admin = await openPhone(DEMO.admin.email, DEMO.admin.password);
  user = await openPhone(DEMO.user.email, DEMO.user.password);
  gateway = await controlBaresip(edge.gatewayCtrl);
});
afterAll(async () => {
  gateway?.close();
  await browser?.close();
});

describe('call records and history, through the real edge', () => {
  it('a call between two browsers: one record, in both histories', async () => {
    const before = new Set((await records()).map((r) => r.id));
    await dialFrom(admin.page, '020 7946 0102');
    await user.page.getByRole('alertdialog').waitFor();
    await user.page.getByRole('button', { name: 'Answer' }).click();
    await established(admin.page);
    await established(user.page);
    await admin.page.waitForTimeout(1200);
    await admin.page.getByRole('button', { name: 'Hang up' }).click();
    await noCall(admin.page);
    await noCall(user.page);

    const [record] = await newRecords(before, 1);
    expect(record).toMatchObject({
      kind: 'internal',
      outcome: 'answered',
      endedBy: 'caller',
      caller: { userId: DEMO.admin.id, name: DEMO.admin.name },
      answeredBy: { userId: DEMO.user.id, name: DEMO.user.name },
      costCents: 0,
    });
    expect(record?.durationSeconds).toBeGreaterThanOrEqual(1);
    // Which of the user's devices answered, in words: this browser's session, as their sessions list names it.
    const sessions = await user.context.request.get(`${appUrl}/api/auth/sessions`);
    const current = ((await sessions.json()) as { sessions: Array<{ current: boolean; deviceLabel: string }> }).sessions.find(
      (s) => s.current,
    );
    expect(current?.deviceLabel).toBeTruthy();
    expect(record?.answeredDevice).toBe(current?.deviceLabel);

    await openHistory(admin.page);
    const mine = admin.page.locator(`.history-row[data-call-id="${record?.id}"]`);
    await mine.waitFor();
    expect(await mine.textContent()).toContain(DEMO.user.name);
    expect(await mine.textContent()).toContain('Outgoing');
    await openHistory(user.page);
    const theirs = user.page.locator(`.history-row[data-call-id="${record?.id}"]`);
    await theirs.waitFor();
    expect(await theirs.textContent()).toContain(DEMO.admin.name);
    expect(await theirs.textContent()).toContain('Incoming');
    await admin.page
      .getByRole('link', { name: /^Dialer/ })
      .first()
      .click();
    await user.page
      .getByRole('link', { name: /^Dialer/ })
      .first()
      .click();
  });

  it('a call to the phone network: one record, rated, with our number and theirs; call back from history', async () => {
    const before = new Set((await records()).map((r) => r.id));
    const since = gateway.events.length;
    await dialFrom(user.page, '0161 496 0005');
    await gateway.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 15_000 });
    await established(user.page);
    await user.page.getByRole('button', { name: 'Hang up' }).click();
    await gateway.waitFor('CALL_CLOSED', { since, timeoutMs: 10_000 });
    await noCall(user.page);

    const [record] = await newRecords(before, 1);
    expect(record).toMatchObject({
      kind: 'outbound',
      outcome: 'answered',
      remoteNumber: '+441614960005',
      ourNumber: USER_NUMBER,
      caller: { userId: DEMO.user.id },
      plan: 'licensed',
      ratePrefix: '44',
      billableSeconds: 60,
      costCents: 1,
    });

    await openHistory(user.page);
    const row = user.page.locator(`.history-row[data-call-id="${record?.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('+441614960005');
    expect(await row.getByRole('link', { name: /Call .* back/ }).getAttribute('href')).toBe('/?dial=%2B441614960005');
    // The admin was not a party: not in their history.
    await openHistory(admin.page);
    await admin.page.locator('.history-row').first().waitFor();
    expect(await admin.page.locator(`.history-row[data-call-id="${record?.id}"]`).count()).toBe(0);
    await admin.page
      .getByRole('link', { name: /^Dialer/ })
      .first()
      .click();
    await user.page
      .getByRole('link', { name: /^Dialer/ })
      .first()
      .click();
  });

  it('a call nobody answers: missed for the callee, a badge until they open their history; readable offline', async () => {
    // Whatever other files left unseen (a do-not-disturb call is a missed one) is seen first, so the badge counts this call only.
    const seen = await user.context.request.post(`${appUrl}/api/calls/seen`, { data: {}, headers: { Origin: appUrl } });
    expect(seen.status()).toBe(200);
    const before = new Set((await records()).map((r) => r.id));
    await dialFrom(admin.page, '020 7946 0102');
    await user.page.getByRole('alertdialog').waitFor();
    await admin.page.waitForTimeout(500);
    await admin.page.getByRole('button', { name: 'Hang up' }).click();
    await noCall(admin.page);
    await noCall(user.page);
    const [record] = await newRecords(before, 1);
    expect(record).toMatchObject({ kind: 'internal', outcome: 'missed', finalCode: 487, answeredBy: null });

    // The badge: a missed_call live event makes the app recount.
    const badge = user.page.locator('.nav a[href="/history"] .nav-badge');
    await badge.first().waitFor({ timeout: 10_000 });
    expect(await badge.first().getAttribute('data-count')).toBe('1');
    await openHistory(user.page);
    const row = user.page.locator(`.history-row[data-call-id="${record?.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('class')).toContain('history-missed');
    expect(await row.textContent()).toContain('Missed');
    await badge.first().waitFor({ state: 'detached', timeout: 10_000 });

    // Offline: the calls saved on this device are still there.
    await user.context.setOffline(true);
    try {
      await user.page
        .getByRole('link', { name: /^Dialer/ })
        .first()
        .click();
      await openHistory(user.page);
      await user.page.getByText('Offline: showing the calls saved on this device.').waitFor({ timeout: 10_000 });
      await user.page.locator(`.history-row[data-call-id="${record?.id}"]`).waitFor();
    } finally {
      await user.context.setOffline(false);
    }
  });
});
