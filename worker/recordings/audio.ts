import type { Context } from 'hono';
import { RECORDING_CONTENT_TYPE } from '../../shared/admin-api';
import type { AppEnv } from '../platform/context';
import { problems } from '../platform/problem';
import { byteRange } from './range';
import type { RecordingRow } from './store';

/**
 * A recording's audio from R2, whole or one byte range (206), so <audio> can
 * start, seek and resume; 416 for a range past the end. Never cached by
 * anyone but this browser, and not even there: it is a conversation.
 */
export async function recordingAudio(c: Context<AppEnv>, row: RecordingRow): Promise<Response> {
  const size = row.size_bytes;
  const range = byteRange(c.req.header('Range'), size);
  const headers = new Headers({
    'Content-Type': RECORDING_CONTENT_TYPE,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, no-store',
    'Content-Disposition': `inline; filename="${row.id}.mp3"`,
  });
  if (range.kind === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const object = await c.env.AUDIO.get(
    row.r2_key,
    range.kind === 'partial' ? { range: { offset: range.offset, length: range.length } } : {},
  );
  if (!object) {
    c.get('log')('error', 'recording audio missing from R2', { recordingId: row.id });
    throw problems.notFound('recording');
  }
  headers.set('ETag', object.httpEtag);
  if (range.kind === 'partial') {
    headers.set('Content-Range', `bytes ${range.offset}-${range.offset + range.length - 1}/${size}`);
    headers.set('Content-Length', String(range.length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set('Content-Length', String(size));
  return new Response(object.body, { status: 200, headers });
}
