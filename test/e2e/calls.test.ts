import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BaresipControl, controlBaresip } from '../../scripts/lib/edge-baresip-ctrl';
import { DEMO } from '../../scripts/lib/seed';
import { launchChromium } from '../support/chromium';
import { audioFlows, dialFrom, noCall, type OpenPhone, openPhone as open, ringtoneProbe, ringtonesSounding } from './support/phone';

const appUrl = inject('appUrl');
const edge = inject('e2eEdge');
let browser: Browser;
let admin: OpenPhone;
let user: OpenPhone;
let gateway: BaresipControl;
const openPhone = (email: string, password: string) => open(browser, email, password);

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

describe('calling in the browser, through the real edge', () => {
  it('calls a colleague by their business number, in national format; audio flows both ways; hold and resume', async () => {
    await dialFrom(admin.page, '020 7946 0102');
    const incoming = user.page.getByRole('alertdialog');
    await incoming.waitFor();
    expect(await incoming.textContent()).toContain('Incoming call');
    await user.page.getByRole('button', { name: 'Answer' }).click();
    await audioFlows(admin.page);
    await audioFlows(user.page);

    await admin.page.getByRole('button', { name: 'Hold' }).click();
    await admin.page.locator('.in-call[data-call-state="held"]').waitFor();
    await admin.page.getByRole('button', { name: 'Resume' }).click();
    await admin.page.locator('.in-call[data-call-state="established"]').waitFor();

    await admin.page.getByRole('button', { name: 'Hang up' }).click();
    await noCall(admin.page);
    await noCall(user.page);
  });

  it('a declined call tells the caller', async () => {
    await dialFrom(admin.page, '020 7946 0102');
    await user.page.getByRole('alertdialog').waitFor();
    await user.page.getByRole('button', { name: 'Decline' }).click();
    await noCall(user.page);
    await noCall(admin.page);
    await expect.poll(() => admin.page.locator('#dial-status').textContent()).toMatch(/busy|declined/i);
  });

  it('calls the phone network: answered, audio both ways, DTMF reaches the far end', async () => {
    const since = gateway.events.length;
    await dialFrom(user.page, '0161 496 0005');
    const established = await gateway.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 15_000 });
    // The phone network sees the user's business number as the caller.
    expect(established.peeruri).toContain('+442079460102');
    await audioFlows(user.page);
    await user.page.getByRole('button', { name: 'Keypad' }).click();
    await user.page.getByRole('button', { name: 'Send 5' }).click();
    const dtmf = await gateway.waitFor('CALL_DTMF_START', { since, timeoutMs: 10_000 });
    expect(dtmf.param).toBe('5');
    await user.page.getByRole('button', { name: 'Hang up' }).click();
    await gateway.waitFor('CALL_CLOSED', { since, timeoutMs: 10_000 });
    await noCall(user.page);
  });

  it("takes a call from the phone network on the business number, audio both ways, showing the contact's name", async () => {
    const created = await user.context.request.post(`${appUrl}/api/contacts`, {
      data: { firstName: 'Manchester', lastName: 'Plumbing', numbers: [{ label: 'work', value: '0161 496 0000' }] },
      headers: { Origin: appUrl },
    });
    expect(created.status(), await created.text()).toBe(201);
    // The app's replica learns of it (live hint or its next pull) before the call comes in.
    await user.page.goto(`${appUrl}/contacts`);
    await user.page.getByText('Manchester Plumbing').first().waitFor({ timeout: 15_000 });
    // Back to the dialer inside the app (no reload: the replica and the line stay as they are).
    await user.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dialer' }).click();
    await user.page.locator('.line-status[data-state="ready"]').waitFor({ timeout: 15_000 });
    const since = gateway.events.length;
    await gateway.command('dial', `sip:+442079460102@127.0.0.1:${edge.udp}`);
    const incoming = user.page.getByRole('alertdialog');
    await incoming.waitFor({ timeout: 15_000 });
    // The name comes from the on-device replica, looked up as the call arrives.
    await expect.poll(() => incoming.getByRole('heading').textContent(), { timeout: 2000 }).toBe('Manchester Plumbing');
    await user.page.getByRole('button', { name: 'Answer' }).click();
    await gateway.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 15_000 });
    await audioFlows(user.page);
    await user.page.getByRole('button', { name: 'Hang up' }).click();
    await gateway.waitFor('CALL_CLOSED', { since, timeoutMs: 10_000 });
    await noCall(user.page);
  });

  it('a call to a user on do-not-disturb does not ring them; their voicemail answers', async () => {
    const dnd = user.page.getByRole('switch', { name: /do not disturb/i });
    await dnd.click();
    await expect.poll(() => dnd.getAttribute('aria-checked')).toBe('true');
    await dialFrom(admin.page, '020 7946 0102');
    // The voicemail service takes the call (voicemail.test.ts checks the greeting and the message).
    await admin.page.locator('.in-call[data-call-state="established"]').waitFor({ timeout: 15_000 });
    expect(await user.page.getByRole('alertdialog').count()).toBe(0);
    await admin.page.getByRole('button', { name: 'Hang up' }).click();
    await noCall(admin.page);
    await dnd.click();
    await expect.poll(() => dnd.getAttribute('aria-checked')).toBe('false');
  });

  it("the admin's override changes the caller ID the phone network receives", async () => {
    const set = await admin.context.request.patch(`${appUrl}/api/admin/users/${DEMO.user.id}/override`, {
      data: { numberId: 'num_demo_0' },
      headers: { Origin: appUrl },
    });
    expect(set.status(), await set.text()).toBe(200);
    try {
      const since = gateway.events.length;
      await dialFrom(user.page, '0161 496 0006');
      const established = await gateway.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 15_000 });
      expect(established.peeruri).toContain(DEMO.main);
      await user.page.getByRole('button', { name: 'Hang up' }).click();
      await gateway.waitFor('CALL_CLOSED', { since, timeoutMs: 10_000 });
      await noCall(user.page);
    } finally {
      await admin.context.request.delete(`${appUrl}/api/admin/users/${DEMO.user.id}/override`, { headers: { Origin: appUrl } });
    }
  });

  it('the same user signed in twice: both ring, one answers, the other stops ringing', async () => {
    const second = await open(browser, DEMO.user.email, DEMO.user.password, { initScript: ringtoneProbe });
    try {
      await dialFrom(admin.page, '020 7946 0102');
      await user.page.getByRole('alertdialog').waitFor();
      await second.page.getByRole('alertdialog').waitFor();
      await expect.poll(() => ringtonesSounding(second.page)).toBe(1);
      await user.page.getByRole('button', { name: 'Answer' }).click();
      await audioFlows(user.page);
      // The other device stops ringing, screen and ringtone: the edge cancelled its branch.
      await noCall(second.page);
      await expect.poll(() => ringtonesSounding(second.page)).toBe(0);
      await admin.page.getByRole('button', { name: 'Hang up' }).click();
      await noCall(user.page);
      await noCall(admin.page);
    } finally {
      await second.context.close();
    }
  });

  it('call waiting: a second call while in a call; answering it holds the first', async () => {
    await dialFrom(admin.page, '020 7946 0102');
    await user.page.getByRole('button', { name: 'Answer' }).click();
    await audioFlows(user.page);
    const since = gateway.events.length;
    await gateway.command('dial', `sip:+442079460102@127.0.0.1:${edge.udp}`);
    const waiting = user.page.getByRole('alertdialog');
    await waiting.waitFor({ timeout: 15_000 });
    expect(await waiting.textContent()).toContain('Another call is waiting');
    await user.page.getByRole('button', { name: 'Answer and hold current' }).click();
    await gateway.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 15_000 });
    await user.page.locator('.in-call[data-call-state="held"]').waitFor();
    await user.page.locator('.in-call[data-call-state="established"]').waitFor();
    await gateway.command('hangup');
    await gateway.waitFor('CALL_CLOSED', { since, timeoutMs: 10_000 });
    await admin.page.getByRole('button', { name: 'Hang up' }).click();
    await noCall(user.page);
    await noCall(admin.page);
  });

  it('blind transfer: the far end is sent on to another number and this call ends', async () => {
    await dialFrom(admin.page, '020 7946 0102');
    await user.page.getByRole('button', { name: 'Answer' }).click();
    await audioFlows(user.page);
    const since = gateway.events.length;
    await user.page.getByRole('button', { name: 'Transfer' }).click();
    await user.page.getByLabel('Transfer to (number or extension)').fill('0161 496 0007');
    await user.page.getByRole('button', { name: 'Transfer now' }).click();
    const established = await gateway.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 15_000 });
    // The transferee (the admin's browser) placed the new call, with the admin's caller ID.
    expect(established.peeruri).toContain('+442079460101');
    await noCall(user.page);
    await audioFlows(admin.page);
    await admin.page.getByRole('button', { name: 'Hang up' }).click();
    await gateway.waitFor('CALL_CLOSED', { since, timeoutMs: 10_000 });
    await noCall(admin.page);
  });

  it('the edge restarted: both apps are ready again within 5 s of it being back', async () => {
    const res = await fetch(`${edge.controlUrl}/restart-edge`, { method: 'POST' });
    expect(res.status, await res.text()).toBe(204);
    // The bound is the product's promise (ENGINEERING §5 reconnect); the timeout is what asserts it.
    for (const page of [admin.page, user.page]) await page.locator('.line-status[data-state="ready"]').waitFor({ timeout: 5_000 });
    // And the line works: a call connects through the new edge.
    await dialFrom(admin.page, '020 7946 0102');
    await user.page.getByRole('button', { name: 'Answer' }).click();
    await audioFlows(admin.page);
    await admin.page.getByRole('button', { name: 'Hang up' }).click();
    await noCall(user.page);
  });
});
