/**
 * The edge agent's recording uploader against a stand-in Worker on loopback:
 * finished recordings are picked up, converted, uploaded with the edge
 * secret and a checksum, retried while the Worker fails, and deleted locally
 * only once it has them; final refusals drop or set aside. (The real Worker
 * and edge: recording.test.ts.)
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { convertRecording } from '../../edge/agent/recordings/convert';
import { outcomeOf, RecordingUploader } from '../../edge/agent/recordings/uploader';
import { writeRecording } from './support/recording-fixtures';

interface Received {
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let dir: string;
let server: Server;
let received: Received[];
/** What the stand-in Worker answers next (the last one repeats). */
let answers: Array<{ status: number; body: unknown }>;
let uploader: RecordingUploader | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'recording-uploader-'));
  for (const sub of ['metadata', 'pcaps', 'tmp']) mkdirSync(join(dir, 'rec', sub), { recursive: true });
  received = [];
  answers = [{ status: 201, body: { id: 'rec_1', duplicate: false } }];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: new URL(req.url ?? '/', 'http://x'), headers: req.headers, body: Buffer.concat(chunks) });
      const answer = (answers.length > 1 ? answers.shift() : answers[0]) as { status: number; body: unknown };
      res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  await uploader?.stop();
  uploader = undefined;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function start() {
  uploader = new RecordingUploader({
    recordingDir: join(dir, 'rec'),
    spoolDir: join(dir, 'spool'),
    workerUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    secret: 'edge-secret',
    log: () => undefined,
    convert: (meta, out) => convertRecording(meta, out),
    scanIntervalMs: 100,
    minBackoffMs: 50,
    maxBackoffMs: 100,
  });
  uploader.start();
  return uploader;
}

const leftAt = (...path: string[]) => readdirSync(join(dir, ...path));

describe('recording uploader', () => {
  it('uploads a finished recording with the secret, its Call-ID, length and checksum, then deletes every local file', async () => {
    writeRecording(join(dir, 'rec'), 'abc/1@host');
    const up = start();
    await expect.poll(() => up.stats.uploaded, { timeout: 10_000 }).toBe(1);
    const [upload] = received;
    expect(upload?.url.pathname).toBe('/api/edge/recordings');
    expect(upload?.url.searchParams.get('callId')).toBe('abc/1@host');
    expect(Number(upload?.url.searchParams.get('durationMs'))).toBeGreaterThan(1900);
    expect(upload?.headers.authorization).toBe('Bearer edge-secret');
    expect(upload?.headers['content-type']).toBe('audio/mpeg');
    expect(upload?.headers['x-content-sha256']).toBe(
      createHash('sha256')
        .update(upload?.body as Buffer)
        .digest('hex'),
    );
    // An MP3: frame sync or an ID3 tag.
    expect(upload?.body.subarray(0, 3).toString('latin1') === 'ID3' || upload?.body[0] === 0xff).toBe(true);
    await expect.poll(() => leftAt('rec', 'metadata').length).toBe(0);
    expect(leftAt('rec', 'pcaps')).toEqual([]);
    expect(leftAt('spool', 'ready')).toEqual([]);
  });

  it('keeps everything while the Worker fails, and sends the same file again until it is taken', async () => {
    answers = [
      { status: 503, body: {} },
      { status: 401, body: {} },
      { status: 200, body: { id: 'rec_1', duplicate: true } },
    ];
    writeRecording(join(dir, 'rec'), 'retry@host');
    const up = start();
    await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(leftAt('rec', 'metadata')).toHaveLength(1);
    expect(leftAt('rec', 'pcaps')).toHaveLength(1);
    await expect.poll(() => up.stats.duplicates, { timeout: 10_000 }).toBe(1);
    expect(received).toHaveLength(3);
    // Converted once: the same bytes each time.
    expect(received[2]?.body.equals(received[0]?.body as Buffer)).toBe(true);
    expect(up.stats.failures).toBe(2);
    await expect.poll(() => leftAt('rec', 'metadata').length).toBe(0);
  });

  it('a restarted agent resumes from its spool and the directory; one recording refused for good does not hold up the next', async () => {
    answers = [{ status: 503, body: {} }];
    writeRecording(join(dir, 'rec'), 'first@host', 'first');
    let up = start();
    await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await up.stop();
    uploader = undefined;
    expect(leftAt('spool', 'ready').sort()).toEqual([
      'rtpengine-meta-first-0123456789abcdef.json',
      'rtpengine-meta-first-0123456789abcdef.mp3',
    ]);

    // While it was down: another call finished. The Worker now refuses the first (recording switched off) and takes the second.
    writeRecording(join(dir, 'rec'), 'second@host', 'second');
    answers = [
      { status: 403, body: { code: 'recording_not_enabled' } },
      { status: 201, body: { id: 'rec_2', duplicate: false } },
    ];
    up = start();
    await expect.poll(() => up.stats.uploaded, { timeout: 10_000 }).toBe(1);
    expect(up.stats.refused).toBe(1);
    expect(received.slice(-2).map((r) => r.url.searchParams.get('callId'))).toEqual(['first@host', 'second@host']);
    expect(leftAt('rec', 'metadata')).toEqual([]);
    expect(leftAt('rec', 'pcaps')).toEqual([]);
    expect(leftAt('spool', 'ready')).toEqual([]);
  });

  it('sets aside what the Worker will never take as it is (413) for a person, and drops a call that never had audio', async () => {
    answers = [{ status: 413, body: {} }];
    const file = writeRecording(join(dir, 'rec'), 'big@host');
    const up = start();
    await expect.poll(() => up.stats.refused, { timeout: 10_000 }).toBe(1);
    expect(existsSync(join(dir, 'spool', 'refused', file))).toBe(true);
    // The metadata, the pcap, the MP3 and what was known about it.
    expect(leftAt('spool', 'refused')).toHaveLength(4);
    expect(leftAt('rec', 'metadata')).toEqual([]);

    const uploads = received.length;
    writeRecording(join(dir, 'rec'), 'silent@host', 'silent', { noAudio: true });
    await expect.poll(() => up.stats.empty, { timeout: 10_000 }).toBe(1);
    expect(received).toHaveLength(uploads);
    expect(leftAt('rec', 'metadata')).toEqual([]);
    expect(leftAt('rec', 'pcaps')).toEqual([]);
  });

  it('reads the Worker’s answers: stored, retry, drop, set aside', () => {
    expect([200, 201].map(outcomeOf)).toEqual(['stored', 'stored']);
    expect([401, 408, 429, 500, 503].map(outcomeOf)).toEqual(['retry', 'retry', 'retry', 'retry', 'retry']);
    expect([403, 404].map(outcomeOf)).toEqual(['drop', 'drop']);
    expect([400, 411, 413, 415, 422].map(outcomeOf)).toEqual(['set-aside', 'set-aside', 'set-aside', 'set-aside', 'set-aside']);
  });
});
