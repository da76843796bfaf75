/**
 * One read in flight at a time. A caller while one runs joins it; with
 * `again` it also asks for one more read after it, because the answer in
 * flight may predate whatever made the caller ask (a live event, another
 * user signing in). However many ask meanwhile, that is one more read.
 */
export interface Coalesced {
  (options?: { again?: boolean }): Promise<void>;
  /** Forgets a read asked for after the one in flight (sign-out, tests). */
  reset(): void;
}

/** Wraps `read` (which settles, never rejects, in both callers) so it runs as {@link Coalesced} says. */
export function coalesced(read: () => Promise<void>): Coalesced {
  let inFlight: Promise<void> | undefined;
  let again = false;
  const run = (options?: { again?: boolean }): Promise<void> => {
    if (inFlight) {
      if (options?.again) again = true;
      return inFlight;
    }
    inFlight = read().finally(() => {
      inFlight = undefined;
      if (again) {
        again = false;
        void run();
      }
    });
    return inFlight;
  };
  return Object.assign(run, {
    reset: () => {
      again = false;
    },
  });
}
