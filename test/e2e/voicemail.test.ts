import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BaresipControl, controlBaresip } from '../../scripts/lib/edge-baresip-ctrl';
import { writeToneWav } from '../../scripts/lib/edge-tone';
import { DEMO } from '../../scripts/lib/seed';
import type { GreetingInfo, VoicemailInbox, VoicemailMessage } from '../../shared/voicemail-api';
import { CHROMIUM_ARGS, launchChromium } from '../support/chromium';
import { heading, outboxMessage } from './support/app';
import { decode, framesDominatedBy, rms, slice } from './support/audio';
import { dialFrom, noCall, type OpenPhone, openPhone } from './support/phone';

/**
 * Voicemail end to end, through the real edge and its voicemail service: the
 * callee records a greeting in the app (their browser's microphone plays a
 * 660 Hz tone), turns on do-not-disturb, and is called by a colleague's
 * browser and by the phone network (baresip, which plays 440 Hz). Each caller
 * hears that greeting, leaves a message, and the message arrives in the
 * callee's inbox with the right caller, a length within 1 s of what was
 * sent, and audio that is not silent. Nobody else can fetch it.
 */
const appUrl = inject('appUrl');
const edge = inject('e2eEdge');
const GREETING_HZ = 660;
const GATEWAY_CALLER = '+441614960000';
/** How long each caller speaks after the beep. */
const SPEAK_MS = 4000;
/** The beep after the greeting (edge/voicemail/greetings.ts). */
const BEEP_MS = 400;

let dir: string;
let calleeBrowser: Browser;
let callerBrowser: Browser;
let callee: OpenPhone;
let caller: OpenPhone;
let gateway: BaresipControl;
let greeting: GreetingInfo;

declare global {
  interface Window {
    __received?: Array<{ recorder: MediaRecorder; chunks: Blob[] }>;
  }
}

/** Runs in the caller's page: records every remote stream the app plays (what the caller hears). */
function captureReceived(): void {
  window.__received = [];
  const own = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject') as PropertyDescriptor;
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    configurable: true,
    get() {
      return own.get?.call(this);
    },
    set(stream: MediaStream | null) {
      own.set?.call(this, stream);
      if (!(stream instanceof MediaStream) || stream.getAudioTracks().length === 0) return;
      const chunks: Blob[] = [];
      const recorder = new MediaRecorder(stream, { mimeType: 'audio/webm;codecs=opus' });
      recorder.ondataavailable = (e) => chunks.push(e.data);
      recorder.start(200);
      window.__received?.push({ recorder, chunks });
    },
  });
}

/** Stops the newest capture and returns what it heard. */
async function heard(page: Page): Promise<Uint8Array> {
  const b64 = await page.evaluate(async () => {
    const capture = window.__received?.at(-1);
    if (!capture) return '';
    if (capture.recorder.state !== 'inactive') {
      await new Promise<void>((resolve) => {
        capture.recorder.onstop = () => resolve();
        capture.recorder.stop();
      });
    }
    const bytes = new Uint8Array(await new Blob(capture.chunks).arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  });
  return Buffer.from(b64, 'base64');
}

async function setDnd(phone: OpenPhone, on: boolean): Promise<void> {
  const res = await phone.context.request.put(`${appUrl}/api/me/dnd`, { data: { on }, headers: { Origin: appUrl } });
  expect(res.status(), await res.text()).toBe(200);
}

async function inbox(phone: OpenPhone): Promise<VoicemailInbox> {
  const res = await phone.context.request.get(`${appUrl}/api/voicemail`);
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as VoicemailInbox;
}

/** Waits for a message in the callee's inbox that was not there before and matches `which`. */
async function newMessage(before: Set<string>, which: (m: VoicemailMessage) => boolean): Promise<VoicemailMessage> {
  let found: VoicemailMessage | undefined;
  await expect
    .poll(
      async () => {
        found = (await inbox(callee)).messages.find((m) => !before.has(m.id) && which(m));
        return found !== undefined;
      },
      { timeout: 20_000, interval: 300 },
    )
    .toBe(true);
  return found as VoicemailMessage;
}

async function audioOf(phone: OpenPhone, message: VoicemailMessage) {
  return phone.context.request.get(`${appUrl}${message.audioUrl}`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'softphone-vm-e2e-'));
  const tone = join(dir, `tone-${GREETING_HZ}.wav`);
  // 48 kHz like a real microphone; the level ffmpeg's sine source had.
  writeToneWav(tone, { hz: GREETING_HZ, seconds: 30, rate: 48000, amplitude: 0.125 });
  // The callee's browser hears a 660 Hz tone from its microphone: that is what its greeting will say.
  calleeBrowser = await launchChromium({ args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${tone}`] });
  callerBrowser = await launchChromium();
  callee = await openPhone(calleeBrowser, DEMO.user.email, DEMO.user.password);
  caller = await openPhone(callerBrowser, DEMO.admin.email, DEMO.admin.password, { initScript: captureReceived });
  gateway = await controlBaresip(edge.gatewayCtrl);
});
afterAll(async () => {
  if (callee) await setDnd(callee, false).catch(() => {});
  gateway?.close();
  await calleeBrowser?.close();
  await callerBrowser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('voicemail through the real edge', () => {
  it('the callee records a greeting in the app, listens to it and saves it', async () => {
    await callee.page.goto(`${appUrl}/voicemail`);
    await expect.poll(() => heading(callee.page)).toBe('Voicemail');
    await callee.page.getByRole('button', { name: /^Record (your|a new) greeting$/ }).click();
    await callee.page.getByRole('button', { name: 'Stop recording' }).waitFor();
    await callee.page.waitForTimeout(3000);
    await callee.page.getByRole('button', { name: 'Stop recording' }).click();
    await callee.page.getByLabel('Listen to your new greeting').waitFor();
    await callee.page.getByRole('button', { name: 'Save greeting' }).click();
    await callee.page.getByLabel('Listen to your saved greeting').waitFor();
    const res = await callee.context.request.get(`${appUrl}/api/voicemail/greeting`);
    greeting = (await res.json()) as GreetingInfo;
    expect(greeting.kind).toBe('custom');
    expect(greeting.durationMs).toBeGreaterThan(2500);
    expect(greeting.durationMs).toBeLessThan(4500);
  });

  it('on do-not-disturb, a colleague calling from the browser hears that greeting and leaves a message', async () => {
    expect(greeting?.kind, 'needs the greeting from the first test').toBe('custom');
    await setDnd(callee, true);
    const before = new Set((await inbox(callee)).messages.map((m) => m.id));

    await dialFrom(caller.page, '020 7946 0102');
    // The voicemail service answers; the callee's browser never rings.
    await caller.page.locator('.in-call[data-call-state="established"]').waitFor({ timeout: 15_000 });
    const answeredAt = Date.now();
    const greetingMs = greeting.durationMs as number;
    await caller.page.waitForTimeout(greetingMs + BEEP_MS + SPEAK_MS);
    const received = await heard(caller.page);
    await caller.page.getByRole('button', { name: 'Hang up' }).click();
    const hungUpAt = Date.now();
    await noCall(caller.page);
    expect(await callee.page.getByRole('alertdialog').count()).toBe(0);

    const message = await newMessage(before, (m) => m.fromUser?.userId === DEMO.admin.id);
    expect(message.fromUser?.name).toBe(DEMO.admin.name);
    expect(message.heard).toBe(false);
    // The recording began after the greeting and the beep, and lasted until the caller hung up.
    expect(Math.abs(message.receivedAt - answeredAt - (greetingMs + BEEP_MS))).toBeLessThan(1500);
    expect(Math.abs(message.durationMs - (hungUpAt - message.receivedAt))).toBeLessThan(1000);
    expect(Math.abs(message.durationMs - SPEAK_MS)).toBeLessThan(1500);

    // The message's audio is what the caller's microphone sent: not silence.
    const audio = await audioOf(callee, message);
    expect(audio.status()).toBe(200);
    const samples = await decode(await audio.body());
    expect(samples.length / 8000).toBeGreaterThan(SPEAK_MS / 1000 - 1.5);
    expect(rms(samples)).toBeGreaterThan(0.005);

    // What the caller heard first was the callee's own greeting: the 660 Hz tone it recorded.
    const what = await decode(received);
    const greetingPart = slice(what, 0.5, greetingMs / 1000 - 0.3);
    expect(rms(greetingPart)).toBeGreaterThan(0.01);
    expect(framesDominatedBy(greetingPart, GREETING_HZ)).toBeGreaterThan(0.6);
    expect(framesDominatedBy(greetingPart, 440)).toBeLessThan(0.1);
  });

  it('on do-not-disturb, a call from the phone network leaves a message with the caller number and their audio', async () => {
    await setDnd(callee, true);
    const before = new Set((await inbox(callee)).messages.map((m) => m.id));
    const since = gateway.events.length;
    await gateway.command('dial', `sip:+442079460102@127.0.0.1:${edge.udp}`);
    await gateway.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 15_000 });
    const answeredAt = Date.now();
    await new Promise((r) => setTimeout(r, (greeting.durationMs as number) + BEEP_MS + SPEAK_MS));
    await gateway.command('hangup');
    const hungUpAt = Date.now();
    await gateway.waitFor('CALL_CLOSED', { since, timeoutMs: 10_000 });

    const message = await newMessage(before, (m) => m.fromNumber === GATEWAY_CALLER);
    expect(message.fromUser).toBeNull();
    expect(message.receivedAt).toBeGreaterThan(answeredAt);
    expect(Math.abs(message.durationMs - (hungUpAt - message.receivedAt))).toBeLessThan(1000);
    expect(Math.abs(message.durationMs - SPEAK_MS)).toBeLessThan(1500);
    const samples = await decode(await (await audioOf(callee, message)).body());
    expect(rms(samples)).toBeGreaterThan(0.005);
    // baresip plays a 440 Hz tone: that is what was recorded.
    expect(framesDominatedBy(samples, edge.gatewayToneHz)).toBeGreaterThan(0.6);

    // It shows in the callee's inbox in the app.
    await callee.page.goto(`${appUrl}/voicemail`);
    await callee.page.locator(`[data-message-id="${message.id}"]`).waitFor();
  });

  it("only the owner can fetch a message's audio: not a colleague, not another business", async () => {
    const [message] = (await inbox(callee)).messages;
    expect(message).toBeDefined();
    expect((await audioOf(callee, message as VoicemailMessage)).status()).toBe(200);
    expect((await audioOf(caller, message as VoicemailMessage)).status()).toBe(404);

    // Someone who signs up their own business.
    const other = await callerBrowser.newContext();
    try {
      const page = await other.newPage();
      const email = `vm-${Date.now()}@other.example`;
      await page.goto(`${appUrl}/signup`);
      await page.getByLabel('Your name').fill('Olive Other');
      await page.getByLabel('Business name').fill('Other Ltd');
      await page.getByLabel('Work email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill('another calm long passphrase');
      await page.getByRole('button', { name: /create/i }).click();
      await expect.poll(() => heading(page)).toBe('Check your email');
      const link = (await outboxMessage(appUrl, email)).match(/https?:\/\/\S+\/signup\/confirm\?token=\S+/)?.[0] as string;
      await page.goto(`${appUrl}${new URL(link).pathname}${new URL(link).search}`);
      await expect.poll(() => heading(page)).toBe('Dialer');
      const res = await other.request.get(`${appUrl}${(message as VoicemailMessage).audioUrl}`);
      expect(res.status()).toBe(404);
    } finally {
      await other.close();
    }
  });
});
