import { act, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GreetingInfo } from '../../shared/voicemail-api';
import { myFeatures } from '../../web/src/admin/my-features';
import { me } from '../../web/src/auth/session';
import { GreetingSection } from '../../web/src/voicemail/GreetingSection';
import { aMe, fakeApi, json, problem } from './support/fake-api';
import { press } from './support/ui';

/**
 * MediaRecorder and getUserMedia are browser APIs jsdom lacks: these fakes
 * behave like Chromium's (WebM only, data then stop, asynchronously).
 */
class FakeRecorder {
  static supported = ['audio/webm'];
  static last: FakeRecorder | undefined;
  static isTypeSupported(type: string): boolean {
    return FakeRecorder.supported.includes(type);
  }
  state: 'inactive' | 'recording' = 'inactive';
  ondataavailable: ((e: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(
    readonly stream: unknown,
    readonly options: { mimeType: string },
  ) {
    FakeRecorder.last = this;
  }
  start(): void {
    this.state = 'recording';
  }
  stop(): void {
    this.state = 'inactive';
    queueMicrotask(() => {
      this.ondataavailable?.({ data: new Blob(['opus'], { type: `${this.options.mimeType};codecs=opus` }) });
      this.onstop?.();
    });
  }
}

const DEFAULT: GreetingInfo = { kind: 'default', audioUrl: null, durationMs: null, updatedAt: null };
const NOW = Date.now();
const CUSTOM: GreetingInfo = { kind: 'custom', audioUrl: '/api/voicemail/greeting/audio', durationMs: 12_000, updatedAt: NOW - 60_000 };

let clock: number;
let track: { stop: ReturnType<typeof vi.fn> };
let getUserMedia: ReturnType<typeof vi.fn>;

beforeEach(() => {
  me.value = aMe();
  myFeatures.value = { calling: true, sms: true, voicemail: true, recording: false };
  FakeRecorder.supported = ['audio/webm'];
  FakeRecorder.last = undefined;
  vi.stubGlobal('MediaRecorder', FakeRecorder);
  track = { stop: vi.fn() };
  getUserMedia = vi.fn(async () => ({ getTracks: () => [track] }));
  Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: { getUserMedia } });
  URL.createObjectURL = vi.fn(() => 'blob:take');
  URL.revokeObjectURL = vi.fn();
  clock = NOW;
  vi.spyOn(Date, 'now').mockImplementation(() => clock);
});
afterEach(() => {
  myFeatures.value = undefined;
  Reflect.deleteProperty(navigator, 'mediaDevices');
  vi.restoreAllMocks();
});

/** Records a take `seconds` long, through the buttons. */
async function recordTake(seconds: number, button = 'Record your greeting') {
  press(button);
  const stop = await screen.findByRole('button', { name: 'Stop recording' });
  clock += seconds * 1000;
  await waitFor(() => expect(screen.getByRole('timer').textContent).toBe(`0:${String(seconds).padStart(2, '0')}`));
  fireEvent.click(stop);
  await screen.findByRole('button', { name: 'Save greeting' });
}

describe('the greeting', () => {
  it('records with a running clock, plays the take back, saves it with its length, then plays the saved one', async () => {
    let saved = DEFAULT;
    const api = fakeApi({
      'GET /api/voicemail/greeting': () => json(200, saved),
      'PUT /api/voicemail/greeting': () => {
        saved = CUSTOM;
        return json(200, CUSTOM);
      },
    });
    render(<GreetingSection />);
    expect(await screen.findByText('Callers hear the default greeting.')).toBeTruthy();
    await recordTake(12);
    expect(FakeRecorder.last?.options.mimeType).toBe('audio/webm');
    expect(getUserMedia).toHaveBeenCalledWith({ audio: expect.anything() });
    // The microphone is free again as soon as recording stops.
    expect(track.stop).toHaveBeenCalled();
    expect(screen.getByText(/Your new greeting \(0:12\)/)).toBeTruthy();
    const take = screen.getByLabelText('Listen to your new greeting');
    expect(take.getAttribute('src')).toBe('blob:take');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Save greeting' })));
    press('Save greeting');
    expect(await screen.findByText('Your greeting is saved. Callers hear it from now on.')).toBeTruthy();
    const [url, init = {}] = api.fetch.mock.calls.find(([, i]) => i?.method === 'PUT') ?? [];
    expect(String(url)).toBe('/api/voicemail/greeting?durationMs=12000');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('audio/webm');
    expect(init.body).toBeInstanceOf(Blob);
    expect(screen.getByText(/Callers hear your greeting \(0:12\)/)).toBeTruthy();
    expect(screen.getByLabelText('Listen to your saved greeting').getAttribute('src')).toBe(
      `/api/voicemail/greeting/audio?v=${CUSTOM.updatedAt}`,
    );
    expect(screen.getByLabelText('Listen to your saved greeting').getAttribute('preload')).toBe('none');
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:take');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Record a new greeting' })));
  });

  it('records again, and asks for the type this browser records (MP4 in Safari)', async () => {
    FakeRecorder.supported = ['audio/mp4'];
    fakeApi({ 'GET /api/voicemail/greeting': () => json(200, DEFAULT) });
    render(<GreetingSection />);
    await screen.findByText('Callers hear the default greeting.');
    await recordTake(5);
    expect(FakeRecorder.last?.options.mimeType).toBe('audio/mp4');
    const first = FakeRecorder.last;
    await recordTake(7, 'Record again');
    expect(FakeRecorder.last).not.toBe(first);
    expect(getUserMedia).toHaveBeenCalledTimes(2);
    expect(screen.getByText(/Your new greeting \(0:07\)/)).toBeTruthy();
  });

  it('stops by itself at the length limit', async () => {
    fakeApi({ 'GET /api/voicemail/greeting': () => json(200, DEFAULT) });
    render(<GreetingSection />);
    await screen.findByText('Callers hear the default greeting.');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    press('Record your greeting');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(screen.getByRole('button', { name: 'Stop recording' })).toBeTruthy();
    expect(screen.getByText(/of 1:00/)).toBeTruthy();
    clock += 59_000;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(59_000);
    });
    expect(FakeRecorder.last?.state).toBe('recording');
    clock += 1_000;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1_000);
    });
    expect(FakeRecorder.last?.state).toBe('inactive');
    vi.useRealTimers();
    expect(await screen.findByText('Recording stopped at the 60-second limit.')).toBeTruthy();
    expect(screen.getByText(/Your new greeting \(1:00\)/)).toBeTruthy();
  });

  it('says so when the microphone is refused', async () => {
    getUserMedia.mockRejectedValueOnce(new DOMException('Permission denied', 'NotAllowedError'));
    fakeApi({ 'GET /api/voicemail/greeting': () => json(200, DEFAULT) });
    render(<GreetingSection />);
    await screen.findByText('Callers hear the default greeting.');
    press('Record your greeting');
    expect((await screen.findByRole('alert')).textContent).toMatch(/not allowed to use your microphone/);
    expect(screen.getByRole('button', { name: 'Record your greeting' })).toBeTruthy();
  });

  it('says so when the browser cannot record', async () => {
    vi.stubGlobal('MediaRecorder', undefined);
    fakeApi({ 'GET /api/voicemail/greeting': () => json(200, DEFAULT) });
    render(<GreetingSection />);
    await screen.findByText('Callers hear the default greeting.');
    press('Record your greeting');
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot record audio/);
    expect(getUserMedia).not.toHaveBeenCalled();
  });

  it('shows the API’s message when the upload is refused, and keeps the take', async () => {
    fakeApi({
      'GET /api/voicemail/greeting': () => json(200, DEFAULT),
      'PUT /api/voicemail/greeting': () => problem(413, 'greeting_too_large', { detail: 'The greeting is larger than 2 MB.' }),
    });
    render(<GreetingSection />);
    await screen.findByText('Callers hear the default greeting.');
    await recordTake(9);
    press('Save greeting');
    expect((await screen.findByRole('alert')).textContent).toBe('Your greeting was not saved. The greeting is larger than 2 MB.');
    expect(screen.getByLabelText('Listen to your new greeting')).toBeTruthy();
    expect(screen.getByText('Callers hear the default greeting.')).toBeTruthy();
  });

  it('refuses a take too short to be a greeting', async () => {
    fakeApi({ 'GET /api/voicemail/greeting': () => json(200, DEFAULT) });
    render(<GreetingSection />);
    await screen.findByText('Callers hear the default greeting.');
    press('Record your greeting');
    const stop = await screen.findByRole('button', { name: 'Stop recording' });
    clock += 200;
    fireEvent.click(stop);
    expect((await screen.findByRole('alert')).textContent).toMatch(/too short/);
  });

  it('goes back to the default after a question', async () => {
    const api = fakeApi({
      'GET /api/voicemail/greeting': () => json(200, CUSTOM),
      'DELETE /api/voicemail/greeting': () => json(200, DEFAULT),
    });
    render(<GreetingSection />);
    expect(await screen.findByText(/Callers hear your greeting \(0:12\), recorded Today/)).toBeTruthy();
    press('Use the default greeting');
    press('Keep mine');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Use the default greeting' })));
    expect(api.calls('DELETE /api/voicemail/greeting')).toHaveLength(0);
    press('Use the default greeting');
    press('Use the default');
    expect(await screen.findByText('Callers hear the default greeting.')).toBeTruthy();
    expect(api.calls('DELETE /api/voicemail/greeting')).toHaveLength(1);
    expect(screen.getByText('Callers hear the default greeting again.')).toBeTruthy();
    expect(screen.queryByLabelText('Listen to your saved greeting')).toBeNull();
  });
});
