/**
 * Opus packets and Ogg Opus files (RFC 7845) without a codec, for both edge
 * services: the agent wraps the Opus packets of recorded RTP into Ogg for
 * ffmpeg; the voicemail service reads greetings' packets to send as RTP and
 * writes received RTP payloads into messages. Opus packets go into RTP and
 * Ogg unchanged, so nothing is decoded or encoded here.
 */

/** Samples (at 48 kHz) in one Opus packet, from its TOC byte (RFC 6716 §3.1); 0 when malformed. */
export function opusPacketSamples(packet: Uint8Array): number {
  if (packet.length === 0) return 0;
  const toc = packet[0] as number;
  const config = toc >> 3;
  // SILK 10/20/40/60 ms, hybrid 10/20 ms, CELT 2.5/5/10/20 ms.
  const frame = config < 12 ? [480, 960, 1920, 2880][config % 4] : config < 16 ? [480, 960][config % 2] : [120, 240, 480, 960][config % 4];
  const code = toc & 3;
  // Code 3 counts its frames in the second byte; without one the packet is malformed.
  const frames = code === 0 ? 1 : code === 1 || code === 2 ? 2 : packet.length > 1 ? (packet[1] as number) & 0x3f : 0;
  return (frame as number) * frames;
}

/** 20 ms of silence (a CELT frame whose first coded symbol says "silence"), as browsers send during DTX. */
export const OPUS_SILENCE_20MS = Buffer.from([0xf8, 0xff, 0xfe]);
/** The same, 10 ms. */
export const OPUS_SILENCE_10MS = Buffer.from([0xf0, 0xff, 0xfe]);

/** A packet standing for lost audio: the TOC byte alone (a zero-length frame), which decoders conceal. */
export function opusGapPacket(lastToc: number): Buffer {
  return Buffer.from([lastToc & 0xfc]);
}

/** The Opus packets of an Ogg Opus file, without its two header packets. */
export function readOggOpusPackets(file: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  let partial: Buffer[] = [];
  let offset = 0;
  while (offset + 27 <= file.length) {
    if (file.toString('latin1', offset, offset + 4) !== 'OggS') throw new Error(`not an Ogg page at byte ${offset}`);
    const segments = file[offset + 26] as number;
    const table = file.subarray(offset + 27, offset + 27 + segments);
    let body = offset + 27 + segments;
    for (const lacing of table) {
      partial.push(file.subarray(body, body + lacing));
      body += lacing;
      // A lacing value below 255 ends a packet; 255 continues it (possibly on the next page).
      if (lacing < 255) {
        packets.push(Buffer.concat(partial));
        partial = [];
      }
    }
    offset = body;
  }
  const [head, tags, ...audio] = packets;
  if (!head?.toString('latin1', 0, 8).startsWith('OpusHead') || !tags?.toString('latin1', 0, 8).startsWith('OpusTags')) {
    throw new Error('not an Ogg Opus file');
  }
  return audio;
}

/** CRC-32 as Ogg computes it (polynomial 0x04c11db7, not reflected, initial 0, no final xor). */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

function oggCrc(page: Buffer): number {
  let crc = 0;
  for (const byte of page) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  return crc;
}

/** One Ogg page holding whole packets. */
function page(serial: number, sequence: number, granule: bigint, flags: number, packets: Buffer[]): Buffer {
  const lacing: number[] = [];
  for (const p of packets) {
    for (let n = p.length; ; n -= 255) {
      lacing.push(Math.min(n, 255));
      if (n < 255) break;
    }
  }
  if (lacing.length > 255) throw new Error('Opus packet too large for one Ogg page');
  const header = Buffer.alloc(27 + lacing.length);
  header.write('OggS', 0, 'latin1');
  header[4] = 0;
  header[5] = flags;
  header.writeBigUInt64LE(granule, 6);
  header.writeUInt32LE(serial, 14);
  header.writeUInt32LE(sequence, 18);
  header[26] = lacing.length;
  Buffer.from(lacing).copy(header, 27);
  const out = Buffer.concat([header, ...packets]);
  out.writeUInt32LE(oggCrc(out), 22);
  return out;
}

/** How an Ogg Opus file is written; every field has a default. */
export interface OggOpusOptions {
  /** The stream's serial number; random by default. */
  serial?: number;
  /** Samples the decoder drops at the start (encoder delay); 312 by default. */
  preSkip?: number;
  /** The vendor string in the tags header. */
  vendor?: string;
  /** Packets grouped into one page at the most; 50 (a second at 20 ms) by default. */
  packetsPerPage?: number;
}

/**
 * An Ogg Opus file (mono, 48 kHz) holding `packets` in order, played back to
 * back (the caller has already filled gaps). Each page's granule position is
 * the samples decoded by its end.
 */
export function writeOggOpus(packets: Buffer[], options: OggOpusOptions = {}): Buffer {
  const serial = options.serial ?? Math.floor(Math.random() * 0xffffffff);
  const preSkip = options.preSkip ?? 312;
  const packetsPerPage = options.packetsPerPage ?? 50;
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head[8] = 1; // version
  head[9] = 1; // channels: mono (a stereo Opus stream decodes fine as its downmix)
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(48_000, 12); // the input's rate, informational
  head.writeInt16LE(0, 16); // output gain
  head[18] = 0; // mapping family 0
  const vendor = Buffer.from(options.vendor ?? 'softphone voicemail', 'latin1');
  const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
  tags.write('OpusTags', 0, 'latin1');
  tags.writeUInt32LE(vendor.length, 8);
  vendor.copy(tags, 12);
  tags.writeUInt32LE(0, 12 + vendor.length);

  const pages = [page(serial, 0, 0n, 0x02, [head]), page(serial, 1, 0n, 0, [tags])];
  let granule = 0n;
  let group: Buffer[] = [];
  let lacing = 0;
  const flush = (last: boolean) => {
    if (group.length === 0 && !last) return;
    pages.push(page(serial, pages.length, granule, last ? 0x04 : 0, group));
    group = [];
    lacing = 0;
  };
  for (const packet of packets) {
    const segments = Math.floor(packet.length / 255) + 1;
    // A page holds at most 255 lacing values.
    if (lacing + segments > 255 || group.length >= packetsPerPage) flush(false);
    group.push(packet);
    lacing += segments;
    granule += BigInt(opusPacketSamples(packet));
  }
  flush(true);
  return Buffer.concat(pages);
}
