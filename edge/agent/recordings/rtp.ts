/** RTP packets (RFC 3550) as rtpengine received them, and the codecs their payload types stand for. */

/** One RTP packet's header fields and payload. */
export interface RtpPacket {
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

/**
 * Reads an RTP packet; undefined for RTCP (multiplexed on the same port:
 * second byte 192–223, RFC 5761), STUN, DTLS or anything malformed.
 */
export function parseRtp(bytes: Buffer): RtpPacket | undefined {
  if (bytes.length < 12 || (bytes[0] ?? 0) >> 6 !== 2) return undefined;
  const second = bytes[1] ?? 0;
  if (second >= 192 && second <= 223) return undefined;
  const first = bytes[0] ?? 0;
  let at = 12 + (first & 0x0f) * 4;
  if (first & 0x10) {
    if (bytes.length < at + 4) return undefined;
    at += 4 + bytes.readUInt16BE(at + 2) * 4;
  }
  let end = bytes.length;
  if (first & 0x20) end -= bytes[bytes.length - 1] ?? 0;
  if (at > end) return undefined;
  return {
    payloadType: second & 0x7f,
    sequence: bytes.readUInt16BE(2),
    timestamp: bytes.readUInt32BE(4),
    ssrc: bytes.readUInt32BE(8),
    payload: bytes.subarray(at, end),
  };
}

/** The codecs the converter turns into audio. */
export type AudioCodec = 'PCMU' | 'PCMA' | 'opus';

/** A payload type as an SDP described it. */
export interface Codec {
  name: string;
  clockRate: number;
}

/** Static payload types (RFC 3551) that an SDP may use without an rtpmap line. */
export const STATIC_PAYLOAD_TYPES: Record<number, Codec> = {
  0: { name: 'PCMU', clockRate: 8000 },
  8: { name: 'PCMA', clockRate: 8000 },
  9: { name: 'G722', clockRate: 8000 },
  13: { name: 'CN', clockRate: 8000 },
};

/** The audio codec a described payload type is, when the converter can decode it. */
export function audioCodecOf(codec: Codec): AudioCodec | undefined {
  const name = codec.name.toLowerCase();
  if (name === 'pcmu') return 'PCMU';
  if (name === 'pcma') return 'PCMA';
  if (name === 'opus') return 'opus';
  // telephone-event and CN are not audio to mix; G.722 has no silence byte to fill gaps with (not offered toward us).
  return undefined;
}
