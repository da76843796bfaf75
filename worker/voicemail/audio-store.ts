import { newId } from '../auth/tokens';
import { audioTooLarge, badContentLength, emptyAudio, incompleteAudio, unsupportedAudio } from './problems';

/** An audio object as written to R2. */
export interface StoredAudio {
  key: string;
  size: number;
  contentType: string;
}

/**
 * A fresh R2 key: random, never the user's id, the caller's number or the
 * Call-ID, so a key (in logs, in a bucket listing) reveals nobody. Every
 * upload gets its own key, so a replaced greeting is a new object and an
 * edge's cached copy can never be confused with the new one.
 */
export function newAudioKey(kind: 'messages' | 'greetings'): string {
  return `voicemail/${kind}/${newId('aud')}`;
}

/** The media type of a Content-Type header if it is one of `accepted` (parameters such as `codecs=opus` kept), else a 415 problem. */
export function acceptedAudioType(header: string | undefined, accepted: readonly string[]): string {
  const value = (header ?? '').trim().toLowerCase();
  const base = value.split(';')[0]?.trim() ?? '';
  if (!accepted.includes(base) || value.length > 128) throw unsupportedAudio(accepted);
  return value;
}

/**
 * Streams a request's body into R2 at `key`, refusing more than `maxBytes`
 * (413) before anything is stored. With a Content-Length the body goes
 * straight through (R2 needs the length up front; a body that is shorter or
 * longer than announced fails the put, so nothing partial is kept). Without
 * one (chunked), it is read up to the limit first: at most a few MB.
 */
export async function storeAudio(
  bucket: R2Bucket,
  request: Request,
  options: { key: string; maxBytes: number; accepted: readonly string[] },
): Promise<StoredAudio> {
  const contentType = acceptedAudioType(request.headers.get('Content-Type') ?? undefined, options.accepted);
  const declared = request.headers.get('Content-Length');
  const body = request.body;
  const put = (value: ReadableStream | Uint8Array) => bucket.put(options.key, value, { httpMetadata: { contentType } });

  if (declared !== null) {
    if (!/^\d{1,15}$/.test(declared)) throw badContentLength();
    const size = Number(declared);
    if (size > options.maxBytes) throw audioTooLarge(options.maxBytes);
    if (size === 0 || !body) throw emptyAudio();
    const { readable, writable } = new FixedLengthStream(size);
    const copying = copyExactly(body, writable, size);
    try {
      await put(readable);
    } catch (err) {
      // A body that ended short (or broke off) is the sender's to send again; anything else is ours (a 500, retried).
      if ((await copying) === 'cut') throw incompleteAudio();
      throw err;
    }
    if ((await copying) === 'cut') {
      // Defensive: R2 refuses a short stream, but never keep what did not arrive whole.
      await bucket.delete(options.key);
      throw incompleteAudio();
    }
    return { key: options.key, size, contentType };
  }

  if (!body) throw emptyAudio();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > options.maxBytes) {
      await reader.cancel();
      throw audioTooLarge(options.maxBytes);
    }
    chunks.push(value);
  }
  if (size === 0) throw emptyAudio();
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  await put(whole);
  return { key: options.key, size, contentType };
}

/**
 * Copies exactly `size` bytes of `body` into `writable`. 'cut' when the body
 * broke off or was not `size` bytes long (the sender's fault), told apart
 * from the destination failing (R2's, reported by the put itself).
 */
async function copyExactly(body: ReadableStream<Uint8Array>, writable: WritableStream<Uint8Array>, size: number): Promise<'whole' | 'cut'> {
  const reader = body.getReader();
  const writer = writable.getWriter();
  let copied = 0;
  const cut = async () => {
    await writer.abort(new Error('the body did not match its Content-Length')).catch(() => {});
    await reader.cancel().catch(() => {});
    return 'cut' as const;
  };
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        return await cut();
      }
      if (chunk.done) break;
      copied += chunk.value.byteLength;
      if (copied > size) return await cut();
      await writer.write(chunk.value);
    }
    if (copied !== size) return await cut();
    await writer.close();
  } catch {
    // The destination failed: the put rejects with the reason.
    await reader.cancel().catch(() => {});
  }
  return 'whole';
}

/** Deletes R2 objects, up to 1,000 keys a call (R2's limit for one delete). */
export async function deleteAudio(bucket: R2Bucket, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
}
