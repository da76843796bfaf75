import { type AdminCallRecord, EXPORT_COLUMNS } from '../../shared/calls-api';
import { type RecordScope, recordsPage, toAdminRecord } from './admin-records';
import { csvRow } from './csv';
import type { CallKey } from './cursor';

/** Records read per page while streaming an export. */
const PAGE = 500;

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
  ];
}

/**
 * The business's records in a range, oldest first, as CSV (UTF-8, CRLF, a
 * header row) or JSON (one array of objects keyed by EXPORT_COLUMNS),
 * streamed: each page is read from D1 only when the client has taken the
 * previous one, so a million records never sit in memory at once.
 */
export function exportStream(db: D1Database, scope: RecordScope, format: 'csv' | 'json'): ReadableStream<Uint8Array> {
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
        const rows = await recordsPage(db, scope, { after, limit: PAGE, order: 'asc' });
        const records = rows.map((r) => exportValues(toAdminRecord(r)));
        let chunk = '';
        for (const values of records) {
          if (format === 'csv') chunk += csvRow(values);
          else {
            chunk += `${first ? '\n' : ',\n'}${JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((k, i) => [k, values[i]])))}`;
            first = false;
          }
        }
        const last = rows.at(-1);
        if (last) after = { routedAt: last.routed_at, id: last.id };
        if (rows.length < PAGE) {
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
