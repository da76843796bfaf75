/**
 * A client for rtpengine's "ng" control protocol (bencode over UDP): a
 * readiness ping for the start script, `list`/`query` for the tests that
 * count media packets.
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

/** A bencode value as decoded here (strings as UTF-8). */
export type Bencoded = string | number | Bencoded[] | { [key: string]: Bencoded };

/** Encodes a value; `undefined` fields are left out. */
export function bencode(value: unknown): Buffer {
  if (typeof value === 'number') return Buffer.from(`i${Math.trunc(value)}e`);
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value);
    return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([Buffer.from('l'), ...value.map(bencode), Buffer.from('e')]);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Buffer.concat([Buffer.from('d'), ...entries.flatMap(([k, v]) => [bencode(k), bencode(v)]), Buffer.from('e')]);
  }
  throw new Error(`cannot bencode ${typeof value}`);
}

/** Decodes one bencoded value. */
export function bdecode(bytes: Buffer): Bencoded {
  let at = 0;
  const read = (): Bencoded => {
    const c = String.fromCharCode(bytes[at] ?? 0);
    if (c === 'i') {
      const end = bytes.indexOf(0x65, at);
      const n = Number(bytes.subarray(at + 1, end).toString());
      at = end + 1;
      return n;
    }
    if (c === 'l') {
      at++;
      const list: Bencoded[] = [];
      while (bytes[at] !== 0x65) list.push(read());
      at++;
      return list;
    }
    if (c === 'd') {
      at++;
      const dict: Record<string, Bencoded> = {};
      while (bytes[at] !== 0x65) {
        const key = read() as string;
        dict[key] = read();
      }
      at++;
      return dict;
    }
    const colon = bytes.indexOf(0x3a, at);
    if (colon < 0) throw new Error('malformed bencode');
    const length = Number(bytes.subarray(at, colon).toString());
    const value = bytes.subarray(colon + 1, colon + 1 + length).toString();
    at = colon + 1 + length;
    return value;
  };
  return read();
}

/** Sends one ng command and returns rtpengine's answer (a dictionary with `result`). */
export function ngCommand(
  port: number,
  command: Record<string, unknown>,
  timeoutMs = 2000,
  host = '127.0.0.1',
): Promise<Record<string, Bencoded>> {
  return new Promise((resolve, reject) => {
    const cookie = randomBytes(6).toString('hex');
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`rtpengine ng: no answer to ${String(command.command)} on ${host}:${port}`));
    }, timeoutMs);
    socket.on('message', (msg) => {
      const space = msg.indexOf(0x20);
      if (msg.subarray(0, space).toString() !== cookie) return;
      clearTimeout(timer);
      socket.close();
      try {
        resolve(bdecode(msg.subarray(space + 1)) as Record<string, Bencoded>);
      } catch (err) {
        reject(err);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    socket.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(command)]), port, host);
  });
}

/** Packets and bytes rtpengine has received for one call, all legs together. */
export interface MediaTotals {
  rtpPackets: number;
  rtpBytes: number;
  /** Per leg (tag): RTP packets received from that side. */
  legs: Array<{ tag: string; packets: number; bytes: number }>;
}

/** The media counters of one call (`query`), or undefined if rtpengine does not know it. */
export async function queryCall(port: number, callId: string): Promise<MediaTotals | undefined> {
  const answer = await ngCommand(port, { command: 'query', 'call-id': callId });
  if (answer.result !== 'ok') return undefined;
  const totals = answer.totals as Record<string, Record<string, number>> | undefined;
  const tags = (answer.tags ?? {}) as Record<string, { medias?: Array<{ streams?: Array<{ stats?: Record<string, number> }> }> }>;
  const legs = Object.entries(tags).map(([tag, leg]) => {
    const streams = (leg.medias ?? []).flatMap((m) => m.streams ?? []);
    return {
      tag,
      packets: streams.reduce((n, s) => n + (s.stats?.packets ?? 0), 0),
      bytes: streams.reduce((n, s) => n + (s.stats?.bytes ?? 0), 0),
    };
  });
  return { rtpPackets: totals?.RTP?.packets ?? 0, rtpBytes: totals?.RTP?.bytes ?? 0, legs };
}

/** The call ids rtpengine currently holds. */
export async function listCalls(port: number): Promise<string[]> {
  const answer = await ngCommand(port, { command: 'list', limit: '100' });
  return Array.isArray(answer.calls) ? (answer.calls as string[]) : [];
}
