import { signal } from '@preact/signals';

/**
 * Bumped after every change an admin makes on this page, so that each
 * section lists again: terminating a user frees a number, a seat and an
 * extension shown in three other sections.
 */
export const adminChanges = signal(0);

/** Something changed: every section reads its data again. */
export function changed(): void {
  adminChanges.value += 1;
}
