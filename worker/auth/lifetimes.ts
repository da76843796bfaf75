/**
 * How long things live. A phone stays signed in: a session slides forward
 * while it is used (idle limit 30 days) but ends after 180 days whatever
 * happens, so a lost device's session dies on its own.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const LIFETIMES = {
  sessionIdle: 30 * DAY,
  sessionAbsolute: 180 * DAY,
  /** Refresh last-seen and the idle expiry at most this often (one write per hour of use). */
  sessionTouch: HOUR,
  code: 10 * MINUTE,
  /** A new code for the same number no sooner than this. */
  codeResend: 30_000,
  codeTries: 5,
  phoneSignupTicket: 15 * MINUTE,
  signupLink: DAY,
  passwordReset: HOUR,
  invitation: 7 * DAY,
  trial: 14 * DAY,
  trialMemory: 365 * DAY,
} as const;
