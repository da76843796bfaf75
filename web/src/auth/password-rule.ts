/**
 * The password rule the forms show and check before sending. The same numbers
 * as PASSWORD_MIN/PASSWORD_MAX in shared/auth-api.ts, which the page does not
 * import because that module builds zod schemas (a test checks they agree).
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const PASSWORD_RULE = `Use at least ${PASSWORD_MIN} characters. A few unrelated words make a strong one.`;
