import { signal } from '@preact/signals';

/**
 * How many calls are in progress in this tab. The service-worker update
 * waits while this is above zero: a new version never takes over mid-call.
 */
export const activeCallCount = signal(0);
