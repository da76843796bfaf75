/**
 * Messages waiting for the Worker, on disk: `<id>.ogg` (the audio) and
 * `<id>.json` (where it goes), each fsync'd; the JSON is written last and
 * renamed into place, so a message is in the spool whole or not at all (an
 * audio file without its JSON is a crash mid-write and is removed at start).
 * Ids sort by when the message was left: the oldest is delivered first.
 * A message the Worker refuses for good moves to `refused/` for a person;
 * nothing is ever deleted before the Worker has it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EdgeVoicemailUpload } from '../../shared/voicemail-api';
import { fsyncDir, writeDurably } from '../shared/durable-files';

/** A spooled message's description. */
export interface SpooledMessage {
  id: string;
  upload: EdgeVoicemailUpload;
  contentType: string;
}

export class MessageSpool {
  readonly refusedDir: string;

  constructor(readonly dir: string) {
    this.refusedDir = join(dir, 'refused');
    mkdirSync(this.refusedDir, { recursive: true });
    this.removeTorn();
  }

  /** Spools a message durably; resolves to its id. */
  put(upload: EdgeVoicemailUpload, audio: Buffer, contentType: string): string {
    const id = `${String(upload.receivedAt).padStart(14, '0')}-${createHash('sha256').update(upload.callId).digest('hex').slice(0, 16)}`;
    writeDurably(join(this.dir, `${id}.ogg`), audio);
    const meta: SpooledMessage = { id, upload, contentType };
    writeDurably(join(this.dir, `${id}.json.tmp`), JSON.stringify(meta));
    renameSync(join(this.dir, `${id}.json.tmp`), join(this.dir, `${id}.json`));
    fsyncDir(this.dir);
    return id;
  }

  /** Messages waiting, oldest first. */
  pending(): SpooledMessage[] {
    return this.names().flatMap((name) => this.read(name) ?? []);
  }

  /** The oldest message waiting (only its record is read). */
  next(): SpooledMessage | undefined {
    for (const name of this.names()) {
      const message = this.read(name);
      if (message) return message;
    }
    return undefined;
  }

  /** How many messages wait (names only, nothing parsed). */
  count(): number {
    return this.names().length;
  }

  private names(): string[] {
    return readdirSync(this.dir)
      .filter((name) => name.endsWith('.json'))
      .sort();
  }

  private read(name: string): SpooledMessage | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as SpooledMessage;
    } catch {
      return undefined;
    }
  }

  audio(id: string): Buffer {
    return readFileSync(join(this.dir, `${id}.ogg`));
  }

  /** The Worker has it. */
  remove(id: string): void {
    rmSync(join(this.dir, `${id}.json`), { force: true });
    rmSync(join(this.dir, `${id}.ogg`), { force: true });
    fsyncDir(this.dir);
  }

  /** The Worker will never take it: kept aside with the reason. */
  setAside(id: string, reason: string): void {
    renameSync(join(this.dir, `${id}.ogg`), join(this.refusedDir, `${id}.ogg`));
    writeDurably(join(this.refusedDir, `${id}.reason`), `${reason}\n`);
    renameSync(join(this.dir, `${id}.json`), join(this.refusedDir, `${id}.json`));
    fsyncDir(this.dir);
  }

  private removeTorn(): void {
    const names = new Set(readdirSync(this.dir));
    for (const name of names) {
      const torn = name.endsWith('.tmp') || (name.endsWith('.ogg') && !names.has(name.replace(/\.ogg$/, '.json')));
      if (torn) rmSync(join(this.dir, name), { force: true });
    }
  }
}
