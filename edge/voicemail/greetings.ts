/**
 * What the caller hears: the mailbox owner's greeting from the Worker
 * (`GET /api/edge/voicemail/greetings/:userId`), converted once per ETag to
 * the two forms we send (20 ms Ogg Opus, 8 kHz μ-law) and cached on disk;
 * the default greeting when the owner has none (404), and the last good
 * copy (else the default) when the Worker cannot be asked. A caller never
 * waits long and always hears something.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDGE_GREETING_PATH } from '../../shared/voicemail-api';
import { opusPacketSamples, readOggOpusPackets } from '../shared/ogg-opus';
import { ffmpeg, OGG_OPUS_OUT, ULAW_OUT } from './ffmpeg';
import type { AudioCodec } from './webrtc-sdh';

/** One RTP payload and its length in the codec's clock. */
export interface Frame {
  payload: Buffer;
  samples: number;
}

/** A greeting (or beep) in both forms, as files. */
type Converted = Record<AudioCodec, string>;

export interface GreetingOptions {
  workerUrl: string;
  secret: string;
  cacheDir: string;
  /** The committed default greeting (Ogg Opus). */
  defaultGreeting: string;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** How long a call waits for the Worker before playing what it has. */
  timeoutMs?: number;
}

/** The frames of a converted file for a codec. */
export function framesOf(file: Buffer, codec: AudioCodec): Frame[] {
  if (codec === 'opus') return readOggOpusPackets(file).map((payload) => ({ payload, samples: opusPacketSamples(payload) }));
  const frames: Frame[] = [];
  for (let i = 0; i + 160 <= file.length; i += 160) frames.push({ payload: file.subarray(i, i + 160), samples: 160 });
  return frames;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 24);

export class Greetings {
  private readonly inFlight = new Map<string, Promise<Converted>>();
  private defaults: Converted | undefined;
  private beeps: Converted | undefined;

  constructor(private readonly options: GreetingOptions) {
    mkdirSync(join(options.cacheDir, 'users'), { recursive: true });
  }

  /** Converts the default greeting and makes the beep, once per cache directory. */
  async prepare(): Promise<void> {
    this.defaults = await this.convertOnce('default', hash(readFileSync(this.options.defaultGreeting).toString('base64')), [
      '-i',
      this.options.defaultGreeting,
    ]);
    // 1 kHz for 0.4 s with soft edges: the conventional "leave your message now".
    this.beeps = await this.convertOnce('beep', 'v1', [
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=1000:duration=0.4,afade=t=in:d=0.02,afade=t=out:st=0.34:d=0.06,volume=0.5',
    ]);
  }

  /** The beep before the recording starts. */
  beep(codec: AudioCodec): Frame[] {
    if (!this.beeps) throw new Error('greetings not prepared');
    return framesOf(readFileSync(this.beeps[codec]), codec);
  }

  /** The greeting callers of `userId` hear, in both forms; never throws. */
  async forUser(userId: string): Promise<{ files: Converted; kind: 'custom' | 'default' | 'cached' }> {
    const dir = join(this.options.cacheDir, 'users', hash(userId));
    const metaFile = join(dir, 'etag');
    const cachedEtag = existsSync(metaFile) ? readFileSync(metaFile, 'utf8') : null;
    const cached = cachedEtag ? this.files(dir, hash(cachedEtag)) : null;
    const usable = cached && existsSync(cached.opus) && existsSync(cached.pcmu) ? cached : null;
    const fallback = () => ({ files: usable ?? (this.defaults as Converted), kind: usable ? ('cached' as const) : ('default' as const) });
    try {
      const res = await fetch(new URL(`${EDGE_GREETING_PATH}/${encodeURIComponent(userId)}`, this.options.workerUrl), {
        headers: { Authorization: `Bearer ${this.options.secret}`, ...(usable && cachedEtag ? { 'If-None-Match': cachedEtag } : {}) },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 2000),
      });
      if (res.status === 304 && usable) return { files: usable, kind: 'custom' };
      if (res.status === 404) {
        await res.body?.cancel();
        // Back to the default: forget the old greeting.
        rmSync(dir, { recursive: true, force: true });
        return { files: this.defaults as Converted, kind: 'default' };
      }
      if (res.status !== 200) {
        this.options.log('greeting not available, using what we have', { userId, status: res.status });
        await res.body?.cancel();
        return fallback();
      }
      let source: Buffer | undefined;
      let etag = res.headers.get('etag');
      if (!etag) {
        // The Worker always sends one; without it the content is its own version.
        source = Buffer.from(await res.arrayBuffer());
        etag = `"sha256-${hash(source.toString('base64'))}"`;
      }
      const key = hash(etag);
      const wanted = this.files(dir, key);
      if (existsSync(wanted.opus) && existsSync(wanted.pcmu)) {
        if (!source) await res.body?.cancel();
      } else {
        source ??= Buffer.from(await res.arrayBuffer());
        await this.convertShared(`${userId}/${key}`, dir, key, source);
      }
      writeAtomically(metaFile, etag);
      // Older versions of this user's greeting are of no use any more.
      for (const name of readdirSync(dir)) if (name !== 'etag' && !name.startsWith(key)) rmSync(join(dir, name), { force: true });
      return { files: wanted, kind: 'custom' };
    } catch (err) {
      this.options.log('greeting fetch or conversion failed, using what we have', { userId, error: String(err) });
      return fallback();
    }
  }

  private files(dir: string, key: string): Converted {
    return { opus: join(dir, `${key}.ogg`), pcmu: join(dir, `${key}.ulaw`) };
  }

  /** One conversion per greeting version even when several calls ask at once. */
  private convertShared(flightKey: string, dir: string, key: string, source: Buffer): Promise<Converted> {
    let flight = this.inFlight.get(flightKey);
    if (!flight) {
      mkdirSync(dir, { recursive: true });
      flight = this.convert(dir, key, ['-i', 'pipe:0'], source).finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, flight);
    }
    return flight;
  }

  private async convertOnce(name: string, key: string, input: string[]): Promise<Converted> {
    const dir = join(this.options.cacheDir, name);
    const files = this.files(dir, key);
    if (existsSync(files.opus) && existsSync(files.pcmu)) return files;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return this.convert(dir, key, input);
  }

  /** Both forms in one ffmpeg run, each written to a temporary name and renamed: a cache entry is whole or absent. */
  private async convert(dir: string, key: string, input: string[], source?: Buffer): Promise<Converted> {
    const files = this.files(dir, key);
    const tmp = { opus: `${files.opus}.tmp`, pcmu: `${files.pcmu}.tmp` };
    await ffmpeg([...input, '-vn', ...OGG_OPUS_OUT, '-f', 'ogg', tmp.opus, '-vn', ...ULAW_OUT, tmp.pcmu], source);
    renameSync(tmp.opus, files.opus);
    renameSync(tmp.pcmu, files.pcmu);
    return files;
  }
}

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
