import type { Context } from 'hono';
import type { AppEnv } from '../platform/context';
import { problemResponse } from '../platform/errors';
import { problems } from '../platform/problem';
import type { StoredAudio } from './audio-store';
import { rangeNotSatisfiable } from './problems';

/** Bytes `offset` to `offset + length - 1` of an object. */
export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * Reads a `Range` header against an object of `size` bytes (RFC 9110 §14):
 * one range (`bytes=a-b`, `bytes=a-`, `bytes=-n`), its end clamped to the
 * object. `null` means "send it all": no header, a header we may ignore
 * (malformed, another unit) or several ranges (a multipart answer buys an
 * audio element nothing; the RFC lets a server ignore Range). A range that
 * starts past the end, or an empty suffix, is unsatisfiable.
 */
export function parseRange(header: string | undefined | null, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    const length = Math.min(suffix, size);
    return { offset: size - length, length };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { offset: start, length: end - start + 1 };
}

/**
 * Answers an audio object from R2: whole (200) or the requested range
 * (206 with Content-Range), `Accept-Ranges: bytes` either way so players
 * seek, 416 with `Content-Range: bytes *\/size` past the end. The size comes
 * from the row, so the range is read from R2 in one request.
 */
export async function audioResponse(
  c: Context<AppEnv>,
  audio: StoredAudio,
  headers: { cacheControl: string; etag?: string },
): Promise<Response> {
  const range = parseRange(c.req.header('Range'), audio.size);
  if (range === 'unsatisfiable') {
    const res = problemResponse(c, rangeNotSatisfiable());
    res.headers.set('Content-Range', `bytes */${audio.size}`);
    res.headers.set('Accept-Ranges', 'bytes');
    return res;
  }
  const object = await c.env.AUDIO.get(audio.key, range ? { range } : undefined);
  if (!object) {
    // The row says there is audio and R2 has none: worth a person's look, not the listener's problem.
    c.get('log')('error', 'voicemail audio missing from R2', { key: audio.key });
    return problemResponse(c, problems.notFound('audio'));
  }
  const out = new Headers({
    'Content-Type': audio.contentType,
    'Accept-Ranges': 'bytes',
    'Cache-Control': headers.cacheControl,
    'Content-Length': String(range ? range.length : audio.size),
  });
  if (headers.etag) out.set('ETag', headers.etag);
  if (!range) return new Response(object.body, { status: 200, headers: out });
  out.set('Content-Range', `bytes ${range.offset}-${range.offset + range.length - 1}/${audio.size}`);
  return new Response(object.body, { status: 206, headers: out });
}
