/**
 * Writes that survive a crash or power cut, for the edge's spools: a file's
 * bytes are fsync'd before it is trusted, and a directory is fsync'd after a
 * file in it is created, renamed or removed (otherwise the name itself may
 * be lost).
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** Writes `data` to `file` (replacing it) and fsyncs it. */
export function writeDurably(file: string, data: Buffer | string): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes the directory's entries (created, renamed, removed files) durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
