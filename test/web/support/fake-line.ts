import { vi } from 'vitest';
import { PhoneLine, registration } from '../../../web/src/calling/line';

/**
 * The phone line cannot reach an edge in jsdom: what matters is when it is
 * started and stopped. Both are spied on (restored by `vi.restoreAllMocks`)
 * and set `registration` as a real line would once it got there.
 */
export function fakeLine() {
  const start = vi.spyOn(PhoneLine.prototype, 'start').mockImplementation(async () => {
    registration.value = 'ready';
  });
  const stop = vi.spyOn(PhoneLine.prototype, 'stop').mockImplementation(async () => {
    registration.value = 'idle';
  });
  return { start, stop };
}
