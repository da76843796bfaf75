/**
 * Sends frames in real time: each at its due moment counted from the start
 * (not 20 ms after the previous one), so timer drift never accumulates and a
 * late tick catches up at once.
 */
import type { Frame } from './greetings';
import type { MediaLeg } from './webrtc-sdh';

/** Plays `frames` on `leg` at the codec's pace; resolves when done or when `signal` aborts. */
export async function play(leg: MediaLeg, frames: Frame[], clockRate: number, signal: AbortSignal): Promise<void> {
  const start = performance.now();
  let due = 0;
  for (const frame of frames) {
    if (signal.aborted) return;
    const wait = start + due - performance.now();
    if (wait > 1) await sleep(wait, signal);
    if (signal.aborted) return;
    leg.send(frame.payload, frame.samples);
    due += (frame.samples * 1000) / clockRate;
  }
  // Let the last frame's audio be heard before whatever comes next.
  const rest = start + due - performance.now();
  if (rest > 1) await sleep(rest, signal);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
