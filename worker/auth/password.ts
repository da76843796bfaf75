/**
 * Password hashing: PBKDF2-SHA256 through WebCrypto.
 *
 * Why PBKDF2 and not argon2id: production Workers refuse PBKDF2 above
 * 100,000 iterations, and argon2id in WASM at OWASP's parameters (19 MiB,
 * t=2) costs tens of milliseconds of CPU per sign-in against the Workers CPU
 * limit. We take PBKDF2 at the platform's cap, store the parameters in every
 * hash so that they can rise later, and rehash on sign-in when they change.
 *
 * Format: `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`.
 * Runs unchanged in workerd and in Node (the seed script uses it).
 */

/** The current parameters; a stored hash with others is rehashed at next sign-in. */
export const PASSWORD_PARAMS = { algorithm: 'pbkdf2-sha256', iterations: 100_000, saltBytes: 16, hashBytes: 32 } as const;

const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password.normalize('NFKC')), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, bytes * 8);
  return new Uint8Array(bits);
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Hashes a password with the current parameters and a fresh salt. */
export async function hashPassword(password: string): Promise<string> {
  const { algorithm, iterations, saltBytes, hashBytes } = PASSWORD_PARAMS;
  const salt = crypto.getRandomValues(new Uint8Array(saltBytes));
  const hash = await derive(password, salt, iterations, hashBytes);
  return `${algorithm}$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Checks a password against a stored hash in constant time. Unknown formats never match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, iterationsText, saltText, hashText] = stored.split('$');
  if (algorithm !== PASSWORD_PARAMS.algorithm || !iterationsText || !saltText || !hashText) return false;
  const iterations = Number(iterationsText);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PASSWORD_PARAMS.iterations) return false;
  const expected = fromBase64(hashText);
  const actual = await derive(password, fromBase64(saltText), iterations, expected.length);
  let diff = actual.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) diff |= (actual[i] ?? 0) ^ (expected[i] ?? 0);
  return diff === 0;
}

/** Whether a stored hash was made with other parameters than today's. */
export function needsRehash(stored: string): boolean {
  const [algorithm, iterations] = stored.split('$');
  return algorithm !== PASSWORD_PARAMS.algorithm || Number(iterations) !== PASSWORD_PARAMS.iterations;
}
