/**
 * rtpengine's metadata file for a recorded call (`<recording-dir>/metadata/`,
 * moved there from `tmp/` when the call is deleted, so its presence means
 * "finished"). Layout, as rtpengine 10.5 writes it: the pcap's path on the
 * first line; then, per offer and answer it produced, a few "Key: value"
 * lines and the SDP it sent; the call's start and end; last, the `metadata`
 * string Kamailio passed (media.cfg: `callid=<Call-ID>`).
 *
 * Each SDP names a port of rtpengine's and the payload types it will receive
 * there; the pcap's packets carry that port as destination. So port →
 * payload type → codec is what the converter needs.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Codec, STATIC_PAYLOAD_TYPES } from './rtp';

/** What a recording's metadata says. */
export interface RecordingMetadata {
  /** The SIP Call-ID. */
  callId: string;
  pcapPath: string;
  /** rtpengine's local port → payload type → codec. */
  ports: Map<number, Map<number, Codec>>;
  /** The call's start on rtpengine's clock, ms (undefined when not written). */
  startedAtMs?: number;
}

/** The codecs of each `m=audio` section of one SDP, by the port it names. */
function codecsBySdp(sdp: string[], into: Map<number, Map<number, Codec>>): void {
  let current: { port: number; types: Map<number, Codec> } | undefined;
  for (const line of sdp) {
    const media = /^m=(\w+) (\d+)(?:\/\d+)? \S+ ?(.*)$/.exec(line);
    if (media) {
      current = undefined;
      if (media[1] !== 'audio' || media[2] === '0') continue;
      const port = Number(media[2]);
      // A later SDP for the same port (a re-INVITE) adds to and overrides what an earlier one said.
      const types = into.get(port) ?? new Map<number, Codec>();
      for (const pt of (media[3] ?? '').split(' ').filter(Boolean).map(Number)) {
        const fixed = STATIC_PAYLOAD_TYPES[pt];
        if (fixed && !types.has(pt)) types.set(pt, fixed);
      }
      into.set(port, types);
      current = { port, types };
      continue;
    }
    const rtpmap = /^a=rtpmap:(\d+) ([^/\s]+)\/(\d+)/.exec(line);
    if (rtpmap && current) current.types.set(Number(rtpmap[1]), { name: rtpmap[2] ?? '', clockRate: Number(rtpmap[3]) });
  }
}

/**
 * The Call-ID when the metadata line is missing: rtpengine names its files
 * `rtpengine-meta-<escaped Call-ID>-<16 hex>.txt`, escaping like a URL.
 */
export function callIdFromFileName(file: string): string | undefined {
  const match = /^rtpengine-meta-(.+)-[0-9a-f]{16}\.txt$/.exec(basename(file));
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/** Reads one metadata file's text. */
export function parseMetadata(text: string, file: string): RecordingMetadata {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const pcapPath = lines[0]?.trim() ?? '';
  if (!pcapPath) throw new Error(`${file}: no pcap path on the first line`);
  const ports = new Map<number, Map<number, Codec>>();
  let callId: string | undefined;
  let startedAtMs: number | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('v=0')) {
      const sdp: string[] = [];
      while (i < lines.length && lines[i] !== '') sdp.push(lines[i++] ?? '');
      codecsBySdp(sdp, ports);
      continue;
    }
    const started = /^Timestamp started ms: ([\d.]+)/.exec(line);
    if (started && startedAtMs === undefined) startedAtMs = Number(started[1]);
    const meta = /^callid=(\S+)$/.exec(line);
    if (meta) callId = meta[1];
  }
  callId ??= callIdFromFileName(file);
  if (!callId) throw new Error(`${file}: no Call-ID`);
  return { callId, pcapPath, ports, startedAtMs };
}

/** Reads a metadata file from disk. */
export function readMetadata(file: string): RecordingMetadata {
  return parseMetadata(readFileSync(file, 'utf8'), file);
}
