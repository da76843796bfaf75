/**
 * HTTP Range (RFC 9110 §14) for recordings: one byte range, which is what
 * <audio> asks for when it starts, seeks or resumes. Several ranges in one
 * request are answered with the whole file (allowed: a server may ignore Range).
 */

/** What to send: the whole file, one range, or nothing satisfiable (416). */
export type RangeAnswer = { kind: 'full' } | { kind: 'partial'; offset: number; length: number } | { kind: 'unsatisfiable' };

/** Reads a Range header against a file of `size` bytes. */
export function byteRange(header: string | undefined, size: number): RangeAnswer {
  if (!header) return { kind: 'full' };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Another unit or several ranges: ignore the header.
  if (!match) return { kind: 'full' };
  const [, first, last] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // The last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    const length = Math.min(suffix, size);
    return { kind: 'partial', offset: size - length, length };
  }
  const start = Number(first);
  // "bytes=5-3" is not a range at all: ignored, like any malformed header.
  if (last !== '' && Number(last) < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'partial', offset: start, length: end - start + 1 };
}
