/**
 * Finished recordings → the Worker. rtpengine moves a call's metadata file
 * into `<recording dir>/metadata/` when the call ends; each one found (by a
 * directory watch, and a periodic scan for anything the watch missed or that
 * finished while the agent was down) becomes a job in a spool of its own —
 * the same fsync'd spool as the call events — and is worked on oldest first,
 * one at a time (2 cores: a conversion must not starve Kamailio): convert to
 * MP3 (convert.ts), upload (`POST /api/edge/recordings`), and only once the
 * Worker has it, delete the MP3, the pcap and the metadata. Failures back off
 * with the same pacer as event delivery and retry forever; the Worker's final
 * refusals end the job (see {@link outcomeOf}).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, type FSWatcher, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, watch, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  RECORDING_CONTENT_TYPE,
  RECORDING_MAX_BYTES,
  RECORDING_SHA256_HEADER,
  type RecordingUploadResult,
} from '../../../shared/admin-api';
import { Pacer } from '../../shared/pacer';
import { Spool } from '../spool';
import type { ConvertedRecording } from './convert';
import { type RecordingMetadata, readMetadata } from './metadata';

const CONVERT_CLI = fileURLToPath(new URL('./convert-cli.ts', import.meta.url));

/**
 * Converts in a child process (convert-cli.ts) with this process's own Node
 * flags (tsx's loader), so the work never blocks this event loop.
 */
function convertInChild(
  metadataFile: string,
  outFile: string,
  options: { ffmpeg?: string; timeoutMs: number; signal: AbortSignal },
): Promise<ConvertedRecording | null> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, CONVERT_CLI, metadataFile, outFile, options.ffmpeg ?? ''], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      signal: options.signal,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise(JSON.parse(stdout) as ConvertedRecording | null);
      else reject(new Error(`converter ${signal ?? `exit ${code}`}: ${stderr.trim()}`));
    });
  });
}

/** One finished recording waiting: its metadata file's name in `<recording dir>/metadata/`. */
export interface RecordingJob {
  file: string;
}

/** What the uploader has done, for /health. */
export interface UploaderStats {
  pending: number;
  uploaded: number;
  duplicates: number;
  /** Calls without audio (never connected): nothing to upload. */
  empty: number;
  /** Set aside for a person (`refused/`) or dropped because the Worker will never take them. */
  refused: number;
  failures: number;
  lastError: string | null;
  /** The last conversion's cost: ms of work per minute of audio. */
  lastConvertMsPerAudioMinute: number | null;
}

export interface UploaderOptions {
  /** rtpengine's `--recording-dir`. */
  recordingDir: string;
  /** The agent's own directory for recordings: the job spool, converted files, refused ones. */
  spoolDir: string;
  workerUrl: string;
  secret: string;
  log: (message: string, fields?: Record<string, unknown>) => void;
  ffmpeg?: string;
  /** The conversion; default: convert.ts in a child process. (Tests convert in-process: no tsx in their children.) */
  convert?: (metadataFile: string, outFile: string, signal: AbortSignal) => Promise<ConvertedRecording | null>;
  /** How often the directory is scanned besides the watch. */
  scanIntervalMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Give up on one upload after this long. */
  timeoutMs?: number;
}

/** What one attempt at a job came to. */
type Outcome = { kind: 'done' } | { kind: 'retry'; error: string };

/** The converted file and what the upload says about it, kept beside it so a restart does not convert again. */
interface Converted {
  callId: string;
  durationMs: number;
}

/**
 * The Worker's answer → what to do with the local files. 401 (a secret to
 * fix), 408, 429 and 5xx are worth retrying; 403 (recording off or not
 * bought) and 404 (no such call) mean nobody may have it: deleted; 413, 415,
 * 422 will never pass as they are: set aside for a person.
 */
export function outcomeOf(status: number): 'stored' | 'retry' | 'drop' | 'set-aside' {
  if (status === 200 || status === 201) return 'stored';
  if (status === 403 || status === 404) return 'drop';
  if (status === 400 || status === 411 || status === 413 || status === 415 || status === 422) return 'set-aside';
  return 'retry';
}

export class RecordingUploader {
  readonly stats: UploaderStats = {
    pending: 0,
    uploaded: 0,
    duplicates: 0,
    empty: 0,
    refused: 0,
    failures: 0,
    lastError: null,
    lastConvertMsPerAudioMinute: null,
  };
  private readonly spool: Spool<RecordingJob>;
  private readonly pacer: Pacer;
  private readonly metadataDir: string;
  private readonly readyDir: string;
  private readonly refusedDir: string;
  /** Jobs spooled and not yet finished, by file name: a scan never queues one twice. */
  private readonly queued = new Set<string>();
  private watcher: FSWatcher | null = null;
  private scanTimer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(private readonly options: UploaderOptions) {
    this.metadataDir = join(options.recordingDir, 'metadata');
    this.readyDir = join(options.spoolDir, 'ready');
    this.refusedDir = join(options.spoolDir, 'refused');
    for (const dir of [this.metadataDir, this.readyDir, this.refusedDir]) mkdirSync(dir, { recursive: true });
    this.spool = new Spool<RecordingJob>(options.spoolDir);
    for (const entry of this.spool.head(this.spool.size)) this.queued.add(entry.event.file);
    this.stats.pending = this.spool.size;
    this.pacer = new Pacer(options.minBackoffMs, options.maxBackoffMs);
  }

  /** Starts watching for finished recordings and working through them. */
  start(): void {
    if (this.loop) return;
    this.watcher = watch(this.metadataDir, () => void this.scan());
    this.watcher.on('error', (err) => this.options.log('recording directory watch failed', { error: String(err) }));
    this.scanTimer = setInterval(() => void this.scan(), this.options.scanIntervalMs ?? 5000);
    void this.scan();
    this.loop = this.run();
  }

  /** Stops after the job in flight (it stays spooled if it did not finish). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    if (this.scanTimer) clearInterval(this.scanTimer);
    this.abort.abort();
    this.pacer.interrupt();
    await this.loop;
    this.spool.close();
  }

  /** Whether the last attempt failed. */
  get failing(): boolean {
    return this.pacer.failures > 0;
  }

  /** Spools every finished recording not queued yet. */
  async scan(): Promise<void> {
    if (this.stopped) return;
    let files: string[];
    try {
      files = readdirSync(this.metadataDir).filter((f) => f.endsWith('.txt') && !this.queued.has(f));
    } catch (err) {
      this.options.log('cannot read the recording directory', { error: String(err) });
      return;
    }
    if (files.length === 0) return;
    for (const file of files) this.queued.add(file);
    try {
      await this.spool.append(files.map((file) => ({ file })));
    } catch (err) {
      for (const file of files) this.queued.delete(file);
      this.options.log('recording spool write failed', { error: String(err) });
      return;
    }
    this.stats.pending = this.spool.size;
    this.pacer.poke();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const [entry] = this.spool.head(1);
      if (!entry) {
        await this.pacer.idle(60_000);
        continue;
      }
      const outcome = await this.work(entry.event).catch((err: unknown) => ({ kind: 'retry' as const, error: String(err) }));
      if (this.stopped && outcome.kind === 'retry') return;
      if (outcome.kind === 'done') {
        this.spool.ack(1);
        this.queued.delete(entry.event.file);
        this.stats.pending = this.spool.size;
        this.pacer.succeeded();
        continue;
      }
      this.stats.failures++;
      if (this.stats.lastError !== outcome.error)
        this.options.log('recording upload failed; kept for a retry', { file: entry.event.file, error: outcome.error });
      this.stats.lastError = outcome.error;
      await this.pacer.failed();
    }
  }

  /** Converts (unless done before) and uploads one recording. */
  private async work(job: RecordingJob): Promise<Outcome> {
    const metadataFile = join(this.metadataDir, basename(job.file));
    // Already finished before a crash lost the acknowledgement.
    if (!existsSync(metadataFile)) return { kind: 'done' };
    let meta: RecordingMetadata;
    try {
      meta = readMetadata(metadataFile);
    } catch (err) {
      this.setAside([metadataFile], `unreadable metadata: ${String(err)}`, '');
      return { kind: 'done' };
    }
    const pcap = this.insideRecordingDir(meta.pcapPath);
    const stem = basename(job.file, '.txt');
    const mp3 = join(this.readyDir, `${stem}.mp3`);
    const sidecar = join(this.readyDir, `${stem}.json`);
    const local = [metadataFile, ...(pcap ? [pcap] : []), mp3, sidecar];

    let converted: Converted;
    if (existsSync(sidecar) && existsSync(mp3)) {
      converted = JSON.parse(readFileSync(sidecar, 'utf8')) as Converted;
    } else {
      let result: ConvertedRecording | null;
      try {
        result = this.options.convert
          ? await this.options.convert(metadataFile, mp3, this.abort.signal)
          : await convertInChild(metadataFile, mp3, { ffmpeg: this.options.ffmpeg, timeoutMs: 30 * 60_000, signal: this.abort.signal });
      } catch (err) {
        // Stopped mid-conversion: the job stays spooled and starts over next time.
        if (this.stopped) return { kind: 'retry', error: 'stopping' };
        // A pcap or metadata the converter cannot read will not read better later: keep it for a person.
        this.setAside(local, `conversion failed: ${String(err)}`, meta.callId);
        return { kind: 'done' };
      }
      if (!result) {
        this.stats.empty++;
        this.remove(local);
        return { kind: 'done' };
      }
      this.stats.lastConvertMsPerAudioMinute = Math.round(result.convertMs / Math.max(result.durationMs / 60_000, 1 / 60));
      this.options.log('recording converted', {
        callId: meta.callId,
        durationMs: result.durationMs,
        bytes: result.bytes,
        tracks: result.tracks,
        convertMs: result.convertMs,
      });
      converted = { callId: result.callId, durationMs: result.durationMs };
      writeFileSync(`${sidecar}.tmp`, JSON.stringify(converted));
      renameSync(`${sidecar}.tmp`, sidecar);
    }

    const body = readFileSync(mp3);
    if (body.length > RECORDING_MAX_BYTES) {
      this.setAside(local, `too large to upload: ${body.length} bytes`, converted.callId);
      return { kind: 'done' };
    }
    const url = new URL('/api/edge/recordings', this.options.workerUrl);
    url.searchParams.set('callId', converted.callId);
    url.searchParams.set('durationMs', String(converted.durationMs));
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${this.options.secret}`,
        'Content-Type': RECORDING_CONTENT_TYPE,
        [RECORDING_SHA256_HEADER]: createHash('sha256').update(body).digest('hex'),
        'Accept-Encoding': 'identity',
      },
      body,
      signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs ?? 120_000), this.abort.signal]),
    });
    const text = await res.text();
    switch (outcomeOf(res.status)) {
      case 'stored': {
        const answer = JSON.parse(text) as RecordingUploadResult;
        if (answer.duplicate) this.stats.duplicates++;
        else this.stats.uploaded++;
        this.options.log('recording delivered', { callId: converted.callId, recordingId: answer.id, duplicate: answer.duplicate });
        this.remove(local);
        return { kind: 'done' };
      }
      case 'drop':
        this.stats.refused++;
        this.options.log('recording refused by the Worker; deleted', {
          callId: converted.callId,
          status: res.status,
          answer: text.slice(0, 300),
        });
        this.remove(local);
        return { kind: 'done' };
      case 'set-aside':
        this.setAside(local, `HTTP ${res.status}: ${text.slice(0, 300)}`, converted.callId);
        return { kind: 'done' };
      default:
        return { kind: 'retry', error: `HTTP ${res.status}: ${text.slice(0, 300)}` };
    }
  }

  /** The pcap's path if it lies inside the recording directory (the only files this agent deletes). */
  private insideRecordingDir(path: string): string | undefined {
    const full = resolve(path);
    const rel = relative(resolve(this.options.recordingDir), full);
    return rel.startsWith('..') || rel === '' ? undefined : full;
  }

  private remove(files: string[]): void {
    for (const file of files) rmSync(file, { force: true });
  }

  /** Moves a recording's files to `refused/` for a person, and says so. */
  private setAside(files: string[], reason: string, callId: string): void {
    this.stats.refused++;
    this.options.log('recording set aside', { callId, reason, dir: this.refusedDir });
    for (const file of files) {
      if (existsSync(file)) renameSync(file, join(this.refusedDir, basename(file)));
    }
  }
}
