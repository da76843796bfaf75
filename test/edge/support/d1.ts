/** Changing the test wrangler's local D1 from an edge test: the Worker reads it on its next request. */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { executeFile } from '../../../scripts/lib/wrangler';
import { edge } from './edge-context';

/** The global setup keeps the edge's files inside the wrangler state directory. */
const state = dirname(edge.workDir);

/** A SQL literal. */
export const sqlValue = (v: string | number | null) =>
  v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`;

/** Runs statements in order, in one wrangler call (each call starts a Node process: seconds). */
export async function runSql(statements: string[]): Promise<void> {
  const file = join(edge.workDir, `statements-${randomBytes(4).toString('hex')}.sql`);
  writeFileSync(file, statements.join('\n'));
  try {
    await executeFile(file, state);
  } finally {
    rmSync(file, { force: true });
  }
}
