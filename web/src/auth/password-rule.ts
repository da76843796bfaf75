import { PASSWORD_MIN } from '../../../shared/auth-limits';

export { PASSWORD_MAX, PASSWORD_MIN } from '../../../shared/auth-limits';

/** The password rule the forms show and check before sending. */
export const PASSWORD_RULE = `Use at least ${PASSWORD_MIN} characters. A few unrelated words make a strong one.`;
