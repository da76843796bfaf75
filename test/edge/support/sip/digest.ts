/** HTTP digest (RFC 2617, MD5) for SIP: the only algorithm SIP.js speaks, so the only one the edge offers. */
import { createHash, randomBytes } from 'node:crypto';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** The parameters of a `Digest realm="…", nonce="…", …` challenge. */
export function parseChallenge(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of value.replace(/^Digest\s+/i, '').matchAll(/(\w+)=("([^"]*)"|[^,\s]+)/g)) {
    params[(match[1] as string).toLowerCase()] = match[3] ?? (match[2] as string);
  }
  return params;
}

/** The Authorization / Proxy-Authorization value answering a challenge. */
export function digestAuthorization(options: {
  challenge: string;
  method: string;
  uri: string;
  username: string;
  password: string;
}): string {
  const c = parseChallenge(options.challenge);
  const realm = c.realm ?? '';
  const nonce = c.nonce ?? '';
  const ha1 = md5(`${options.username}:${realm}:${options.password}`);
  const ha2 = md5(`${options.method}:${options.uri}`);
  const qop = c.qop
    ?.split(',')
    .map((q) => q.trim())
    .includes('auth')
    ? 'auth'
    : undefined;
  const fields = [`username="${options.username}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${options.uri}"`, 'algorithm=MD5'];
  if (qop) {
    const nc = '00000001';
    const cnonce = randomBytes(8).toString('hex');
    fields.push(`response="${md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`)}"`, `qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  } else {
    fields.push(`response="${md5(`${ha1}:${nonce}:${ha2}`)}"`);
  }
  if (c.opaque) fields.push(`opaque="${c.opaque}"`);
  return `Digest ${fields.join(', ')}`;
}
