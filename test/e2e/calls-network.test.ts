import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../scripts/lib/seed';
import { launchChromium } from '../support/chromium';
import { audioFlows, dialFrom, noCall, type OpenPhone, openPhone } from './support/phone';

/**
 * A call survives a network blip: one app's SIP WebSocket drops mid-call,
 * the app reconnects, re-registers and restarts ICE with a re-INVITE that
 * also tells the far end where it is now, and audio keeps flowing; either
 * end can then hang up. And a call that arrives while the app is in the
 * background shows a notification.
 */
let browser: Browser;
let admin: OpenPhone;
let user: OpenPhone;

declare global {
  interface Window {
    __peers?: RTCPeerConnection[];
    __sipSockets?: WebSocket[];
    __notifications?: Array<{ title: string; body?: string; closed: boolean }>;
    __hidden?: boolean;
  }
}

/**
 * Runs in the page before the app: keeps every RTCPeerConnection (to read
 * its ICE credentials) and SIP WebSocket (to drop it as a lost network
 * would), records notifications instead of showing them (a
 * headless browser has nowhere to show them), and lets the test say the
 * page is hidden (headless pages are always visible).
 */
function observe(): void {
  const Peer = window.RTCPeerConnection;
  window.__peers = [];
  window.RTCPeerConnection = class extends Peer {
    constructor(config?: RTCConfiguration) {
      super(config);
      window.__peers?.push(this);
    }
  } as typeof RTCPeerConnection;
  const Socket = window.WebSocket;
  window.__sipSockets = [];
  window.WebSocket = class extends Socket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      if ([protocols ?? []].flat().includes('sip')) window.__sipSockets?.push(this);
    }
  } as typeof WebSocket;
  window.__notifications = [];
  class RecordedNotification {
    static permission: NotificationPermission = 'granted';
    static requestPermission = async () => 'granted' as const;
    private entry: { title: string; body?: string; closed: boolean };
    constructor(title: string, options?: NotificationOptions) {
      this.entry = { title, body: options?.body, closed: false };
      window.__notifications?.push(this.entry);
    }
    close() {
      this.entry.closed = true;
    }
  }
  Object.defineProperty(window, 'Notification', { value: RecordedNotification, configurable: true });
  Object.defineProperty(document, 'hidden', { get: () => window.__hidden === true, configurable: true });
  Object.defineProperty(document, 'visibilityState', { get: () => (window.__hidden ? 'hidden' : 'visible'), configurable: true });
}

/** The ICE username fragment of the page's newest peer connection, as it offers or answers now. */
const localUfrag = (page: Page) =>
  page.evaluate(() => {
    const pc = window.__peers?.at(-1);
    return /a=ice-ufrag:(\S+)/.exec(pc?.localDescription?.sdp ?? '')?.[1] ?? null;
  });

const packetsIn = async (page: Page) => Number(await page.locator('.in-call').getAttribute('data-packets-in'));

beforeAll(async () => {
  browser = await launchChromium();
  admin = await openPhone(browser, DEMO.admin.email, DEMO.admin.password, { initScript: observe });
  user = await openPhone(browser, DEMO.user.email, DEMO.user.password, { initScript: observe });
});
afterAll(async () => {
  await browser?.close();
});

describe('a call survives the network', () => {
  it('the SIP WebSocket drops mid-call: the app reconnects, restarts ICE, and audio keeps flowing', async () => {
    await dialFrom(admin.page, '020 7946 0102');
    await user.page.getByRole('button', { name: 'Answer' }).click();
    await audioFlows(admin.page);
    const before = await localUfrag(admin.page);
    expect(before).not.toBeNull();

    // The caller's connection to the edge drops (its network went away for a moment).
    const dropped = await admin.page.evaluate(() => {
      const open = window.__sipSockets?.filter((s) => s.readyState === WebSocket.OPEN) ?? [];
      for (const socket of open) socket.close();
      return open.length;
    });
    expect(dropped).toBe(1);

    // It reconnects, is ready again, and offers new ICE credentials in a re-INVITE.
    await expect.poll(() => admin.page.evaluate(() => window.__sipSockets?.length)).toBe(2);
    await admin.page.locator('.line-status[data-state="ready"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => localUfrag(admin.page), { timeout: 10_000 }).not.toBe(before);
    // Still one call, established, with audio still arriving after the restart.
    const after = await packetsIn(admin.page);
    await expect.poll(() => packetsIn(admin.page), { timeout: 10_000 }).toBeGreaterThan(after + 50);
    expect(await admin.page.locator('.in-call[data-call-state="established"]').count()).toBe(1);

    // The far end reaches the caller on its new connection: its hang-up arrives.
    await user.page.getByRole('button', { name: 'Hang up' }).click();
    await noCall(user.page);
    await noCall(admin.page);
  });

  it('a call arriving while the app is in the background shows a notification, closed when the call ends', async () => {
    await user.page.evaluate(() => {
      window.__hidden = true;
    });
    try {
      await dialFrom(admin.page, '020 7946 0102');
      await user.page.getByRole('alertdialog').waitFor();
      await expect.poll(() => user.page.evaluate(() => window.__notifications?.map((n) => n.title))).toContain('Incoming call');
      await admin.page.getByRole('button', { name: 'Hang up' }).click();
      await noCall(user.page);
      await expect.poll(() => user.page.evaluate(() => window.__notifications?.at(-1)?.closed)).toBe(true);
    } finally {
      await user.page.evaluate(() => {
        window.__hidden = false;
      });
    }
  });
});
