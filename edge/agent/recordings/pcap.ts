/**
 * A reader for the pcap files rtpengine writes when it records a call
 * (`--recording-method=pcap`): classic libpcap format, either byte order,
 * micro- or nanosecond timestamps, raw IP packets (`--recording-format=raw`)
 * or fake Ethernet frames (`eth`). Only UDP over IPv4/IPv6 matters here: each
 * datagram is one RTP (or RTCP) packet rtpengine received, already decrypted.
 * No Debian tool reads these pcaps as audio, hence this small parser.
 */
import { readFileSync } from 'node:fs';

/** One UDP datagram as captured. */
export interface CapturedUdp {
  /** Capture time, ms since the epoch (fractional). */
  atMs: number;
  srcPort: number;
  dstPort: number;
  payload: Buffer;
}

const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_IPV6 = 229;

/** How a file's records are read: byte order, timestamp unit, link layer. */
interface PcapFormat {
  le: boolean;
  nanos: boolean;
  linktype: number;
}

function formatOf(header: Buffer): PcapFormat {
  if (header.length < 24) throw new Error('not a pcap file: too short');
  const magicLe = header.readUInt32LE(0);
  const magicBe = header.readUInt32BE(0);
  let le: boolean;
  let nanos: boolean;
  if (magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d) {
    le = true;
    nanos = magicLe === 0xa1b23c4d;
  } else if (magicBe === 0xa1b2c3d4 || magicBe === 0xa1b23c4d) {
    le = false;
    nanos = magicBe === 0xa1b23c4d;
  } else {
    throw new Error('not a pcap file: unknown magic');
  }
  const linktype = le ? header.readUInt32LE(20) : header.readUInt32BE(20);
  return { le, nanos, linktype: linktype & 0xffff };
}

/** The IP packet inside one captured frame, per link type; undefined when it is not IP. */
function ipPayload(frame: Buffer, linktype: number): Buffer | undefined {
  switch (linktype) {
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return frame;
    case LINKTYPE_NULL:
      return frame.subarray(4);
    case LINKTYPE_LINUX_SLL:
      return frame.subarray(16);
    case LINKTYPE_ETHERNET: {
      let at = 12;
      let type = frame.length >= 14 ? frame.readUInt16BE(at) : 0;
      // 802.1Q tags.
      while ((type === 0x8100 || type === 0x88a8) && frame.length >= at + 6) {
        at += 4;
        type = frame.readUInt16BE(at);
      }
      return type === 0x0800 || type === 0x86dd ? frame.subarray(at + 2) : undefined;
    }
    default:
      return undefined;
  }
}

/** The UDP datagram in an IP packet; undefined for anything else (TCP, fragments, truncated). */
function udpIn(ip: Buffer): { srcPort: number; dstPort: number; payload: Buffer } | undefined {
  const first = ip[0] ?? 0;
  const version = first >> 4;
  let udp: Buffer;
  if (version === 4) {
    if (ip.length < 20) return undefined;
    const ihl = (first & 0x0f) * 4;
    // A fragment (more fragments, or an offset) is not a whole datagram: rtpengine never sends those for RTP.
    if ((ip.readUInt16BE(6) & 0x3fff) !== 0 || ip[9] !== 17) return undefined;
    const total = ip.readUInt16BE(2);
    udp = ip.subarray(ihl, Math.min(total || ip.length, ip.length));
  } else if (version === 6) {
    if (ip.length < 40 || ip[6] !== 17) return undefined;
    udp = ip.subarray(40, 40 + ip.readUInt16BE(4));
  } else {
    return undefined;
  }
  if (udp.length < 8) return undefined;
  const length = udp.readUInt16BE(4);
  return {
    srcPort: udp.readUInt16BE(0),
    dstPort: udp.readUInt16BE(2),
    payload: udp.subarray(8, length >= 8 ? Math.min(length, udp.length) : udp.length),
  };
}

/**
 * Every UDP datagram in a pcap held in memory, in file order. A record cut
 * short at the end (rtpengine stopped mid-write) ends the list quietly.
 */
export function* udpPackets(bytes: Buffer): Generator<CapturedUdp> {
  const format = formatOf(bytes);
  let at = 24;
  while (at + 16 <= bytes.length) {
    const u32 = (o: number) => (format.le ? bytes.readUInt32LE(at + o) : bytes.readUInt32BE(at + o));
    const seconds = u32(0);
    const fraction = u32(4);
    const included = u32(8);
    const original = u32(12);
    const start = at + 16;
    at = start + included;
    if (at > bytes.length) return;
    // A frame cut short by the snapshot length is not a whole datagram.
    if (included < original) continue;
    const ip = ipPayload(bytes.subarray(start, at), format.linktype);
    const udp = ip && udpIn(ip);
    if (!udp) continue;
    yield { atMs: seconds * 1000 + (format.nanos ? fraction / 1e6 : fraction / 1e3), ...udp };
  }
}

/** Reads a pcap file from disk (see {@link udpPackets}): a recorded hour is a few tens of MB. */
export function readPcapFile(path: string): CapturedUdp[] {
  return [...udpPackets(readFileSync(path))];
}
