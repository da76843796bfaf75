/** Reconnect delays: quick at first, then doubling to a ceiling, always jittered. */
export interface BackoffOptions {
  /** A hidden tab waits longer: nobody is looking, and a thousand phones waking at once should not stampede. */
  hidden: boolean;
  /** For tests; defaults to Math.random. */
  random?: () => number;
}

const VISIBLE = { first: 500, ceiling: 30_000 };
const HIDDEN = { first: 5_000, ceiling: 5 * 60_000 };
/** An app newer than its server: a deploy reaches every server within minutes, so no hurry. */
const SERVER_BEHIND = { first: 30_000, ceiling: 15 * 60_000 };

/**
 * How long to wait before reconnect attempt number `attempt` (0-based).
 * "Equal jitter": half the exponential delay is fixed, half random, so a
 * whole business whose hub restarted does not reconnect in lockstep, yet no
 * client waits much less than it should.
 */
export function reconnectDelay(attempt: number, { hidden, random = Math.random }: BackoffOptions): number {
  return equalJitter(hidden ? HIDDEN : VISIBLE, attempt, random);
}

/**
 * How long an app the server found newer than itself waits before saying
 * hello again (attempt 0-based): 15–30 s, doubling to 7.5–15 minutes.
 */
export function serverBehindDelay(attempt: number, random: () => number = Math.random): number {
  return equalJitter(SERVER_BEHIND, attempt, random);
}

function equalJitter({ first, ceiling }: { first: number; ceiling: number }, attempt: number, random: () => number): number {
  const exponential = Math.min(ceiling, first * 2 ** Math.min(attempt, 20));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
