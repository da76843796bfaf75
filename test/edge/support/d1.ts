/** The test wrangler's local D1, read and changed from an edge test: the Worker sees a change on its next request. */
import { dirname } from 'node:path';
import { queryLocal } from '../../../scripts/lib/wrangler';
import { edge } from './edge-context';

/** The wrangler state directory: the global setup keeps the edge's files inside it. */
export const state = dirname(edge.workDir);

/** A SQL literal. */
export const sqlValue = (v: string | number | null) =>
  v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`;

/**
 * Runs SQL against the local D1 and returns the rows of its last statement.
 * Several statements go in one call (each call starts a Node process: seconds).
 */
export function sql<T = unknown>(text: string): Promise<T[]> {
  return queryLocal<T>(text, state);
}
