/**
 * Benchmark results in one shape (ENGINEERING.md §3): printed, and written
 * to bench/results/<name>.json as
 * {"bench", "at", "machine", "metrics": {"<metric_with_unit>": number}}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/wrangler';

/** "2 cores, 24 GiB": what the figures were measured on. */
export function machineDescription(): string {
  return `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`;
}

/** The p-th percentile (0..100) of samples, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Rounds to a sensible number of decimals for a report. */
export function round(value: number, decimals = 2): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Prints the metrics and writes bench/results/<name>.json. */
export function writeResult(name: string, metrics: Record<string, number>): string {
  const result = { bench: name, at: new Date().toISOString(), machine: machineDescription(), metrics };
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${name} (${result.machine})`);
  for (const [metric, value] of Object.entries(metrics)) console.log(`  ${metric.padEnd(24)} ${value}`);
  console.log(`→ ${file}`);
  return file;
}
