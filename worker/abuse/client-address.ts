/**
 * The client address to limit by: `CF-Connecting-IP`, else the first
 * `X-Forwarded-For` entry, else `'unknown'`. An IPv6 address becomes its /64,
 * because one subscriber is usually given a whole /64 and could rotate
 * through it. Behind Cloudflare `CF-Connecting-IP` is always set by the edge;
 * `X-Forwarded-For` only matters locally, where a client can forge it.
 */
export function clientAddress(request: Request): string {
  const raw = request.headers.get('CF-Connecting-IP')?.trim() || request.headers.get('X-Forwarded-For')?.split(',')[0]?.trim();
  if (!raw) return 'unknown';
  return raw.includes(':') ? ipv6Key(raw) : raw;
}

/** `2001:db8:1:2:…` → `2001:db8:1:2::/64`; an IPv4-mapped address becomes the IPv4 one; anything unparsable is kept as given. */
function ipv6Key(raw: string): string {
  const address = raw
    .replace(/^\[|\](:\d+)?$/g, '')
    .replace(/%.*$/, '')
    .toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) return mapped[1];
  const groups = expand(address);
  if (!groups) return address;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** The eight groups of an IPv6 address, or undefined when it is not one. */
function expand(address: string): string[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  return groups.every((group) => /^[0-9a-f]{1,4}$/.test(group)) ? groups : undefined;
}
