// 49,000 most common passwords (zxcvbn-ts's list), bundled as data: no network lookup.
import commonPasswords from '@zxcvbn-ts/language-common/dist/passwords.json.mjs';
import { Problem } from '../platform/problem';

let common: Set<string> | undefined;

/** Whether a password is on the common-passwords list (case-insensitive). */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(commonPasswords as string[]);
  return common.has(password.toLowerCase());
}

/**
 * OWASP's rules: length (checked by the schema) and not a known or obvious
 * password; no composition rules. A password equal to the person's email or
 * name is refused as well.
 */
export function assertAcceptablePassword(password: string, field: string, personal: Array<string | null | undefined> = []): void {
  const lower = password.toLowerCase();
  const obvious = personal.some((p) => p && p.length >= 3 && (lower === p.toLowerCase() || lower === p.toLowerCase().split('@')[0]));
  if (isCommonPassword(password) || obvious) {
    throw new Problem(422, 'validation_failed', 'Some fields are not valid', 'Correct the fields listed in errors.', [
      { field, code: 'password_too_common', message: 'This password is too common or too easy to guess. Choose another.' },
    ]);
  }
}
