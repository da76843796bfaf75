import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { signInAs } from './app';

/** A signed-in app in its own browser context. */
export interface OpenPhone {
  context: BrowserContext;
  page: Page;
}

export interface OpenOptions {
  /** Runs in every page before the app does (to observe browser APIs). */
  initScript?: () => void;
  /** Wait until the service worker controls the app (for offline tests). */
  serviceWorker?: boolean;
}

/** A signed-in app whose phone line is ready. */
export async function openPhone(browser: Browser, email: string, password: string, options: OpenOptions = {}): Promise<OpenPhone> {
  const appUrl = inject('appUrl');
  const context = await browser.newContext();
  await signInAs(context, appUrl, email, password);
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.getByRole('heading', { level: 1, name: 'Dialer' }).waitFor();
  if (options.serviceWorker) await page.evaluate(() => navigator.serviceWorker.ready);
  await page.locator('.line-status[data-state="ready"]').waitFor({ timeout: 15_000 });
  return { context, page };
}

export async function dialFrom(page: Page, number: string): Promise<void> {
  await page.getByLabel('Number to call').fill(number);
  await page.getByRole('button', { name: 'Call', exact: true }).click();
}

/** Waits until the page's call has carried audio both ways (RTP packets from getStats). */
export async function audioFlows(page: Page, atLeast = 50): Promise<void> {
  const call = page.locator('.in-call[data-call-state="established"]');
  await call.waitFor({ timeout: 15_000 });
  await expect.poll(async () => Number(await call.getAttribute('data-packets-in')), { timeout: 10_000 }).toBeGreaterThan(atLeast);
  await expect.poll(async () => Number(await call.getAttribute('data-packets-out')), { timeout: 10_000 }).toBeGreaterThan(atLeast);
}

/** Waits until the page shows no call at all. */
export async function noCall(page: Page): Promise<void> {
  await page.locator('.call-screen').waitFor({ state: 'detached', timeout: 10_000 });
}

/**
 * An init script that watches the ringtone: it counts the audio contexts
 * that have played a tone (made an oscillator) and are not closed yet.
 * The app's ringtone opens one when it starts ringing and closes it to stop.
 */
export function ringtoneProbe(): void {
  const w = window as unknown as { __ringing: () => number };
  const ringing = new Set<AudioContext>();
  const create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function (this: AudioContext) {
    ringing.add(this);
    return create.call(this);
  };
  w.__ringing = () => [...ringing].filter((c) => c.state !== 'closed').length;
}

/** How many ringtones are sounding in the page (needs `ringtoneProbe`). */
export function ringtonesSounding(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __ringing: () => number }).__ringing());
}
