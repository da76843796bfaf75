/**
 * Limits both sides need at run time, in a module without zod so that the
 * page can import them without pulling the schema library into its bundle.
 */

/** Passwords: at least 8 characters, up to 128 (OWASP: accept at least 64). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
