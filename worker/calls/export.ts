import { type AdminCallRecord, EXPORT_COLUMNS } from '../../shared/calls-api';
import { type RecordScope, recordsPage, toAdminRecord } from './admin-records';
import { csvRow } from './csv';
import type { CallKey } from './cursor';

/**
 * Records read per D1 query while streaming an export. D1 allows a Worker
 * invocation 1,000 queries (Workers Paid; D1 limits, "Queries per Worker
 * invocation"), and the whole download is one invocation: at 5,000 rows a
 * million records take 200 queries (plus the session check), a fifth of the
 * budget, and the budget lasts to about 5 million rows (the 400-day range cap
 * would need ~12,500 calls a day to reach that). A page is 21 short columns
 * and two names, a few hundred bytes a row: a few MB per result (~1 MB of
 * CSV), far under D1's result and row limits and the isolate's 128 MB. Past
 * the budget D1 refuses the query and the download fails visibly (below),
 * never short. Measured: `npm run bench:history` (docs/calls.md).
 */
export const EXPORT_PAGE_ROWS = 5000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** One export line's values, in EXPORT_COLUMNS order. */
function exportValues(r: AdminCallRecord): Array<string | number | null> {
  return [
    r.id,
    r.sipCallId,
    r.kind,
    iso(r.startedAt),
    iso(r.answeredAt),
    iso(r.endedAt),
    r.durationSeconds,
    r.outcome,
    r.endedBy,
    r.finalCode,
    r.remoteNumber,
    r.ourNumber,
    r.caller?.userId ?? null,
    r.caller?.name ?? null,
    r.answeredBy?.userId ?? null,
    r.answeredBy?.name ?? null,
    r.plan,
    r.billableSeconds,
    r.ratePrefix,
    r.rateMillicentsPerMinute,
    r.costCents,
    r.answeredDevice,
  ];
}

/**
 * The business's records in a range, oldest first, as CSV (UTF-8, CRLF, a
 * header row) or JSON (one array of objects keyed by EXPORT_COLUMNS),
 * streamed: each page is read from D1 only when the client has taken the
 * previous one, so a million records never sit in memory at once.
 *
 * A failure part-way (D1 unreachable, a query refused) errors the stream: the
 * runtime then aborts the response instead of ending it, so the download
 * fails where it is. A CSV cut at a line end would otherwise look complete.
 */
export function exportStream(
  db: D1Database,
  scope: RecordScope,
  format: 'csv' | 'json',
  options: { pageRows?: number; onError?: (error: unknown) => void } = {},
): ReadableStream<Uint8Array> {
  const pageRows = options.pageRows ?? EXPORT_PAGE_ROWS;
  const encoder = new TextEncoder();
  let after: CallKey = { routedAt: scope.from - 1, id: '' };
  let started = false;
  let first = true;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(format === 'csv' ? csvRow(EXPORT_COLUMNS) : '['));
          return;
        }
        let rows: Awaited<ReturnType<typeof recordsPage>>;
        try {
          rows = await recordsPage(db, scope, { after, limit: pageRows, order: 'asc' });
        } catch (error) {
          options.onError?.(error);
          controller.error(error);
          return;
        }
        let chunk = '';
        for (const row of rows) {
          const values = exportValues(toAdminRecord(row));
          if (format === 'csv') chunk += csvRow(values);
          else {
            chunk += `${first ? '\n' : ',\n'}${JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((k, i) => [k, values[i]])))}`;
            first = false;
          }
        }
        const last = rows.at(-1);
        if (last) after = { routedAt: last.routed_at, id: last.id };
        if (rows.length < pageRows) {
          if (format === 'json') chunk += first ? ']\n' : '\n]\n';
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(chunk));
      },
    },
    // One page at a time: pull runs again only once the reader has drained this one.
    { highWaterMark: 0 },
  );
}
