/** SIP messages as text: parse, read headers, build. Enough of RFC 3261 for the edge tests' user agent. */

/** One header line. */
export interface Header {
  name: string;
  value: string;
}

/** A SIP request. */
export interface SipRequest {
  type: 'request';
  method: string;
  uri: string;
  headers: Header[];
  body: string;
}

/** A SIP response. */
export interface SipResponse {
  type: 'response';
  status: number;
  reason: string;
  headers: Header[];
  body: string;
}

export type SipMessage = SipRequest | SipResponse;

const COMPACT: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
};

const canonical = (name: string) => {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
};

/** Headers whose comma-separated values are separate entries. */
const LIST_HEADERS = new Set(['via', 'route', 'record-route', 'contact']);

/** Splits a header value on commas outside quotes and angle brackets. */
function splitList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth--;
    else if (!quoted && depth === 0 && c === ',') {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter(Boolean);
}

/** Parses one message (a datagram or a WebSocket frame). */
export function parseMessage(text: string): SipMessage {
  const split = text.indexOf('\r\n\r\n');
  const head = split >= 0 ? text.slice(0, split) : text;
  const body = split >= 0 ? text.slice(split + 4) : '';
  const [startLine = '', ...lines] = head.split('\r\n');
  const headers: Header[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1] as Header;
      last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = canonical(line.slice(0, colon).trim());
    const value = line.slice(colon + 1).trim();
    for (const v of LIST_HEADERS.has(name) ? splitList(value) : [value]) headers.push({ name, value: v });
  }
  const status = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(startLine);
  if (status) return { type: 'response', status: Number(status[1]), reason: status[2] ?? '', headers, body };
  const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(startLine);
  if (!request) throw new Error(`not a SIP message: ${startLine}`);
  return { type: 'request', method: request[1] as string, uri: request[2] as string, headers, body };
}

/** Every value of a header, in order. */
export function headers(msg: SipMessage, name: string): string[] {
  const wanted = canonical(name);
  return msg.headers.filter((h) => h.name === wanted).map((h) => h.value);
}

/** The first value of a header. */
export function header(msg: SipMessage, name: string): string | undefined {
  return headers(msg, name)[0];
}

/** A parameter (`;tag=…`, `;branch=…`) of a header value, outside its `<uri>`. */
export function param(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  const outside = value.includes('>') ? value.slice(value.lastIndexOf('>') + 1) : value;
  const match = new RegExp(`;\\s*${name}=([^;,\\s]+)`, 'i').exec(outside);
  return match?.[1];
}

/** The URI of a name-addr (`"Name" <sip:a@b>;tag=x` → `sip:a@b`). */
export function uriOf(value: string | undefined): string {
  if (!value) return '';
  const open = value.indexOf('<');
  if (open >= 0) return value.slice(open + 1, value.indexOf('>', open));
  return value.split(';')[0]?.trim() ?? '';
}

/** The user part of a SIP URI (`sip:+4420…@host` → `+4420…`). */
export function userOf(uri: string): string {
  const match = /^sips?:([^@;>]+)@/.exec(uri);
  return match?.[1] ?? '';
}

/** The text of a message, with Content-Length computed. */
export function serialize(msg: SipMessage): string {
  const start = msg.type === 'request' ? `${msg.method} ${msg.uri} SIP/2.0` : `SIP/2.0 ${msg.status} ${msg.reason}`;
  const lines = msg.headers.filter((h) => h.name !== 'content-length').map((h) => `${displayName(h.name)}: ${h.value}`);
  lines.push(`Content-Length: ${Buffer.byteLength(msg.body)}`);
  return `${start}\r\n${lines.join('\r\n')}\r\n\r\n${msg.body}`;
}

const DISPLAY: Record<string, string> = { 'call-id': 'Call-ID', cseq: 'CSeq', www: 'WWW' };

function displayName(name: string): string {
  return name
    .split('-')
    .map((part) => DISPLAY[part] ?? `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('-')
    .replace('Call-Id', 'Call-ID');
}

/** Headers from `[name, value]` pairs. */
export function hdrs(...pairs: Array<[string, string | undefined]>): Header[] {
  return pairs.filter((p): p is [string, string] => p[1] !== undefined).map(([name, value]) => ({ name: canonical(name), value }));
}
