/**
 * SIP credentials for the media edge, in Kamailio auth_ephemeral's format:
 * username `<expiry-unix-seconds>:<userId>`, password
 * base64(HMAC-SHA256(SIP_AUTH_SECRET, username)). Kamailio checks them with the
 * same secret and nothing else: no SIP password is ever stored.
 */

/** How long minted credentials last: a working day; the app asks again before they run out. */
export const SIP_CREDENTIAL_TTL_SECONDS = 12 * 60 * 60;

const encoder = new TextEncoder();

/** base64 (standard alphabet, padded), as auth_ephemeral computes it. */
function base64(bytes: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s);
}

/** The password for an auth_ephemeral username. */
export async function sipPassword(secret: string, username: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return base64(await crypto.subtle.sign('HMAC', key, encoder.encode(username)));
}

/** Credentials for `userId`, valid until `nowMs` + the TTL. */
export async function mintSipCredentials(secret: string, userId: string, nowMs = Date.now()) {
  const expiry = Math.floor(nowMs / 1000) + SIP_CREDENTIAL_TTL_SECONDS;
  const username = `${expiry}:${userId}`;
  return { username, password: await sipPassword(secret, username), expiresAt: expiry * 1000 };
}
