import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, PASSWORD_PARAMS, verifyPassword } from '../../worker/auth/password';

describe('password hashing (PBKDF2-SHA256 at the Workers cap)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored.startsWith(`pbkdf2-sha256$${PASSWORD_PARAMS.iterations}$`)).toBe(true);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('asks for a rehash when the parameters changed, and still verifies the old hash', async () => {
    const current = await hashPassword('pw-1234567');
    expect(needsRehash(current)).toBe(false);
    const [, , salt, hash] = current.split('$');
    expect(needsRehash(`pbkdf2-sha256$50000$${salt}$${hash}`)).toBe(true);
  });

  it('never matches an unknown or over-limit format', async () => {
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
    expect(await verifyPassword('x', 'pbkdf2-sha256$999999999$AAAA$AAAA')).toBe(false);
  });
});
