/**
 * Opus packets from RTP → an Ogg Opus file (RFC 7845) that ffmpeg decodes.
 * RTP carries bare Opus packets; ffmpeg needs a container, and Ogg is the
 * smallest one to write: a header page, a tags page, then one page per packet
 * with the running sample count as granule position.
 */

/** Samples at 48 kHz in one Opus packet, from its TOC byte (RFC 6716 §3.1); 0 when malformed. */
export function opusPacketSamples(packet: Buffer): number {
  if (packet.length < 1) return 0;
  const toc = packet[0] ?? 0;
  const config = toc >> 3;
  // Frame length in 1/400 s (2.5 ms) units: SILK 10/20/40/60 ms, hybrid 10/20 ms, CELT 2.5/5/10/20 ms.
  const units = config < 12 ? [4, 8, 16, 24][config % 4] : config < 16 ? [4, 8][config % 2] : [1, 2, 4, 8][config % 4];
  const code = toc & 3;
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  if (code === 3 && packet.length < 2) return 0;
  return frames * (units ?? 0) * 120;
}

/** 20 ms of silence (a CELT frame whose first coded symbol says "silence"), as browsers send during DTX. */
export const OPUS_SILENCE_20MS = Buffer.from([0xf8, 0xff, 0xfe]);
/** The same, 10 ms. */
export const OPUS_SILENCE_10MS = Buffer.from([0xf0, 0xff, 0xfe]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32: polynomial 0x04c11db7, not reflected, no final xor. */
function oggCrc(bytes: Buffer): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ b) & 0xff] ?? 0)) >>> 0;
  return crc;
}

/** One Ogg page holding exactly one packet. */
function page(packet: Buffer, granule: bigint, serial: number, sequence: number, flags: number): Buffer {
  const lacing: number[] = [];
  let left = packet.length;
  while (left >= 255) {
    lacing.push(255);
    left -= 255;
  }
  lacing.push(left);
  if (lacing.length > 255) throw new Error('Opus packet too large for one Ogg page');
  const header = Buffer.alloc(27 + lacing.length);
  header.write('OggS', 0, 'latin1');
  header[5] = flags;
  header.writeBigUInt64LE(granule, 6);
  header.writeUInt32LE(serial, 14);
  header.writeUInt32LE(sequence, 18);
  header[26] = lacing.length;
  Buffer.from(lacing).copy(header, 27);
  const whole = Buffer.concat([header, packet]);
  whole.writeUInt32LE(oggCrc(whole), 22);
  return whole;
}

/**
 * Writes packets as one mono Ogg Opus stream. Packets are played back to back:
 * the caller has already filled gaps with silence packets.
 */
export function oggOpus(packets: Buffer[]): Buffer {
  const serial = 0x5f5e1d;
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head[8] = 1; // version
  head[9] = 1; // channels: mono (a stereo packet is mixed down by the decoder)
  head.writeUInt16LE(0, 10); // pre-skip: RTP does not say; a few ms of decoder warm-up is harmless
  head.writeUInt32LE(48000, 12);
  head.writeInt16LE(0, 16); // output gain
  head[18] = 0; // channel mapping family 0
  const vendor = Buffer.from('softphone-edge', 'latin1');
  const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
  tags.write('OpusTags', 0, 'latin1');
  tags.writeUInt32LE(vendor.length, 8);
  vendor.copy(tags, 12);
  tags.writeUInt32LE(0, 12 + vendor.length);

  const pages = [page(head, 0n, serial, 0, 0x02), page(tags, 0n, serial, 1, 0)];
  let granule = 0n;
  packets.forEach((packet, i) => {
    granule += BigInt(opusPacketSamples(packet));
    pages.push(page(packet, granule, serial, i + 2, i === packets.length - 1 ? 0x04 : 0));
  });
  return Buffer.concat(pages);
}
