/** SIP credentials minted the way the Worker mints them (auth_ephemeral, HMAC-SHA256), for tests that need odd ones. */
import { createHmac } from 'node:crypto';

/** A credential pair for `userId` expiring at `expiry` (Unix seconds), signed with `secret`. */
export function mintCredentials(secret: string, userId: string, expiry = Math.floor(Date.now() / 1000) + 3600) {
  const username = `${expiry}:${userId}`;
  return { username, password: createHmac('sha256', secret).update(username).digest('base64') };
}
