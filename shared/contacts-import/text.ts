/**
 * Bytes of an uploaded file → text. UTF-8 (with or without a BOM) and
 * UTF-16 with a BOM are read as such; anything that is not valid UTF-8 is
 * read as Windows-1252, which is what Outlook on Windows writes.
 */
export function decodeFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Text without a leading byte-order mark (a string pasted or already decoded). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Whether text looks like vCards rather than CSV. */
export function looksLikeVCard(text: string): boolean {
  return /^\s*BEGIN:VCARD/im.test(stripBom(text).slice(0, 4096));
}
