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
import { callRecording, finishedRecording, gatewayRecordings, quietSince } from './support/gateway-recordings';
import { dialFrom, noCall, type OpenPhone, openPhone } from './support/phone';

/**
 * Voicemail end to end, through the real edge and its voicemail service: the
 * callee records a greeting in the app (their browser's microphone plays a
 * 660 Hz tone), turns on do-not-disturb, and is called by a colleague's
 * browser (whose microphone plays 880 Hz) and by the phone network (baresip,
 * which plays 440 Hz). Each caller hears that greeting, leaves a message, and
 * the message arrives in the callee's inbox with the right caller, its
 * caller's tone, and a length within 1 s of what the caller sent: from the
 * moment the caller stopped hearing the beep (measured on the caller's side,
 * from the audio it received) to its hang-up. The inbox then opens offline.
 * Nobody else can fetch a message.
 */
const appUrl = inject('appUrl');
const edge = inject('e2eEdge');
const GREETING_HZ = 660;
const CALLER_HZ = 880;
const GATEWAY_CALLER = '+441614960000';
/** How long each caller speaks after the beep. */
const SPEAK_MS = 4000;

let dir: string;
let calleeBrowser: Browser;
let callerBrowser: Browser;
let callee: OpenPhone;
let caller: OpenPhone;
let gateway: BaresipControl;
let greeting: GreetingInfo;

declare global {
  interface Window {
    __received?: Array<{ recorder: MediaRecorder; chunks: Blob[]; loudAt: number; loudFrames: number; stopLevel: () => void }>;
  }
}

/**
 * Runs in the caller's page: records every remote stream the app plays (what
 * the caller hears), and notes when it last carried sound (`loudAt`, the
 * page's `Date.now()`), so the test can tell when the greeting and beep ended.
 */
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
      // The level every 20 ms, as played out: above −40 dBFS is sound.
      const audio = new AudioContext();
      const analyser = audio.createAnalyser();
      analyser.fftSize = 512;
      audio.createMediaStreamSource(stream).connect(analyser);
      void audio.resume();
      const samples = new Float32Array(analyser.fftSize);
      const capture = { recorder, chunks, loudAt: 0, loudFrames: 0, stopLevel: () => {} };
      const timer = setInterval(() => {
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const s of samples) sum += s * s;
        if (Math.sqrt(sum / samples.length) > 0.01) {
          capture.loudAt = Date.now();
          capture.loudFrames++;
        }
      }, 20);
      capture.stopLevel = () => {
        clearInterval(timer);
        void audio.close();
      };
      window.__received?.push(capture);
    },
  });
}

/**
 * When the caller last heard sound, once it has heard half a second of it
 * and then 1.5 s without any: the greeting and the beep are over and the
 * service is recording.
 */
async function greetingEndedAt(page: Page): Promise<number> {
  let endedAt = 0;
  await expect
    .poll(
      async () => {
        const level = await page.evaluate(() => {
          const capture = window.__received?.at(-1);
          return { loudAt: capture?.loudAt ?? 0, loudFrames: capture?.loudFrames ?? 0 };
        });
        endedAt = level.loudAt;
        return level.loudFrames > 25 && Date.now() - level.loudAt > 1500;
      },
      { timeout: 20_000, interval: 50 },
    )
    .toBe(true);
  return endedAt;
}

/** Waits until `at` (ms since the epoch). */
const until = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

/** Stops the newest capture and returns what it heard. */
async function heard(page: Page): Promise<Uint8Array> {
  const b64 = await page.evaluate(async () => {
    const capture = window.__received?.at(-1);
    if (!capture) return '';
    capture.stopLevel();
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

/** The ids in the page's copy of the inbox (web/src/voicemail/voicemail-db.ts); none before the app made it. */
function cachedMessageIds(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    // Opening a database that does not exist would create it empty, at a version the app then never upgrades.
    if (!(await indexedDB.databases()).some((d) => d.name === 'softphone-voicemail')) return [];
    return new Promise<string[]>((resolve) => {
      const open = indexedDB.open('softphone-voicemail');
      open.onerror = () => resolve([]);
      open.onsuccess = () => {
        const db = open.result;
        const keys = db.transaction('messages').objectStore('messages').getAllKeys();
        keys.onsuccess = () => resolve(keys.result as string[]);
        keys.onerror = () => resolve([]);
        db.close();
      };
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'softphone-vm-e2e-'));
  const microphone = (hz: number) => {
    const tone = join(dir, `tone-${hz}.wav`);
    // 48 kHz like a real microphone; the level ffmpeg's sine source had.
    writeToneWav(tone, { hz, seconds: 30, rate: 48000, amplitude: 0.125 });
    return [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${tone}`];
  };
  // The callee's browser hears a 660 Hz tone from its microphone: that is what its greeting will say.
  calleeBrowser = await launchChromium({ args: microphone(GREETING_HZ) });
  // The caller's says 880 Hz, without a pause: its message is that tone from the beep to the hang-up.
  callerBrowser = await launchChromium({ args: microphone(CALLER_HZ) });
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
    const greetingMs = greeting.durationMs as number;
    // The caller's microphone never pauses: what it sends into the message runs from the beep's end to the hang-up.
    const beepEndedAt = await greetingEndedAt(caller.page);
    await until(beepEndedAt + SPEAK_MS);
    const received = await heard(caller.page);
    const hungUpAt = Date.now();
    await caller.page.getByRole('button', { name: 'Hang up' }).click();
    await noCall(caller.page);
    expect(await callee.page.getByRole('alertdialog').count()).toBe(0);

    const message = await newMessage(before, (m) => m.fromUser?.userId === DEMO.admin.id);
    expect(message.fromUser?.name).toBe(DEMO.admin.name);
    expect(message.heard).toBe(false);
    // The recording began when the caller heard the beep end, and is as long as what the caller sent then.
    expect(Math.abs(message.receivedAt - beepEndedAt)).toBeLessThan(1000);
    expect(Math.abs(message.durationMs - (hungUpAt - beepEndedAt))).toBeLessThan(1000);

    // The message's audio is what the caller's microphone sent, as long as the service says.
    const audio = await audioOf(callee, message);
    expect(audio.status()).toBe(200);
    const samples = await decode(await audio.body());
    expect(Math.abs((samples.length / 8000) * 1000 - message.durationMs)).toBeLessThan(500);
    expect(framesDominatedBy(samples, CALLER_HZ)).toBeGreaterThan(0.6);

    // What the caller heard first was the callee's own greeting: the 660 Hz tone it recorded.
    const what = await decode(received);
    const greetingPart = slice(what, 0.5, greetingMs / 1000 - 0.3);
    expect(rms(greetingPart)).toBeGreaterThan(0.01);
    expect(framesDominatedBy(greetingPart, GREETING_HZ)).toBeGreaterThan(0.6);
    expect(framesDominatedBy(greetingPart, 440)).toBeLessThan(0.1);
  });

  it('on do-not-disturb, a call from the phone network hears that greeting and leaves a message with the caller number and their audio', async () => {
    expect(greeting?.kind, 'needs the greeting from the first test').toBe('custom');
    await setDnd(callee, true);
    const before = new Set((await inbox(callee)).messages.map((m) => m.id));
    const recordings = gatewayRecordings(edge.gatewayCtrl);
    const since = gateway.events.length;
    const dialledAt = Date.now();
    await gateway.command('dial', `sip:+442079460102@127.0.0.1:${edge.udp}`);
    await gateway.waitFor('CALL_ESTABLISHED', { since, timeoutMs: 15_000 });
    // baresip records what it hears as it arrives: once that stops, the greeting and beep are over.
    const recording = await callRecording(recordings, dialledAt);
    const beepEndedAt = await quietSince(recording, { minMs: 1000 });
    // baresip sends its tone without a pause: what it sends into the message runs from then to the hang-up.
    await until(beepEndedAt + SPEAK_MS);
    const hungUpAt = Date.now();
    await gateway.command('hangup');
    await gateway.waitFor('CALL_CLOSED', { since, timeoutMs: 10_000 });

    // What the phone network heard first: the greeting the callee recorded in the app (660 Hz), not the default.
    const greetingMs = greeting.durationMs as number;
    const heardByPhone = slice(await finishedRecording(recording), 0.5, greetingMs / 1000 - 0.3);
    expect(rms(heardByPhone)).toBeGreaterThan(0.01);
    expect(framesDominatedBy(heardByPhone, GREETING_HZ)).toBeGreaterThan(0.6);
    expect(framesDominatedBy(heardByPhone, edge.gatewayToneHz)).toBeLessThan(0.1);

    const message = await newMessage(before, (m) => m.fromNumber === GATEWAY_CALLER);
    expect(message.fromUser).toBeNull();
    expect(Math.abs(message.receivedAt - beepEndedAt)).toBeLessThan(1000);
    expect(Math.abs(message.durationMs - (hungUpAt - beepEndedAt))).toBeLessThan(1000);
    const samples = await decode(await (await audioOf(callee, message)).body());
    expect(Math.abs((samples.length / 8000) * 1000 - message.durationMs)).toBeLessThan(500);
    // baresip plays a 440 Hz tone: that is what was recorded.
    expect(framesDominatedBy(samples, edge.gatewayToneHz)).toBeGreaterThan(0.6);

    // It shows in the callee's inbox in the app.
    await callee.page.goto(`${appUrl}/voicemail`);
    await callee.page.locator(`[data-message-id="${message.id}"]`).waitFor();
  });

  it('the inbox, once loaded, opens offline: the app from the service worker, the list from the device', async () => {
    const [newest] = (await inbox(callee)).messages;
    expect(newest, 'needs a message from the tests above').toBeDefined();
    const { page, context } = callee;
    const row = page.locator(`[data-message-id="${(newest as VoicemailMessage).id}"]`);
    await page.goto(`${appUrl}/voicemail`);
    await row.waitFor();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // The list is saved after it is shown: wait until the device has it.
    await expect.poll(() => cachedMessageIds(page)).toContain((newest as VoicemailMessage).id);
    await page.goto(appUrl);
    await expect.poll(() => heading(page)).toBe('Dialer');

    await context.setOffline(true);
    try {
      await page.reload();
      await expect.poll(() => heading(page)).toBe('Dialer');
      await page
        .getByRole('link', { name: /^Voicemail/ })
        .first()
        .click();
      await expect.poll(() => heading(page)).toBe('Voicemail');
      await page.getByText('Offline: showing the messages saved on this device.').waitFor({ timeout: 10_000 });
      await row.waitFor();
    } finally {
      await context.setOffline(false);
    }
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
