/** The call-record export's range and addresses. Pure, so it is tested alone. */
import { dateRange } from '../../../shared/calls-api';

/** Days as the API takes them: YYYY-MM-DD in UTC, both included. */
export interface DayRange {
  from: string;
  to: string;
}

export type ExportFormat = 'csv' | 'json';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The calendar month before `now`'s, in UTC like the API's days: what an
 * admin usually bills. On 15 March: 1 to 28 (or 29) February.
 */
export function lastMonth(now = Date.now()): DayRange {
  const d = new Date(now);
  // Day 0 of this month is the last day of the one before; month −1 of January is December.
  return { from: day(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)), to: day(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 0)) };
}

/** Why the range would be refused, by field, with the API's own schema; empty when it is fine. */
export function rangeErrors(range: DayRange): Partial<Record<keyof DayRange, string>> {
  const result = dateRange.safeParse(range);
  const errors: Partial<Record<keyof DayRange, string>> = {};
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const field = issue.path[0] === 'from' ? 'from' : 'to';
    errors[field] ??= issue.message;
  }
  return errors;
}

/** `GET /api/admin/calls/export.csv|json` for the range: a plain link, so the browser streams it to a file with the session cookie. */
export function exportPath(range: DayRange, format: ExportFormat): string {
  return `/api/admin/calls/export.${format}?${new URLSearchParams({ from: range.from, to: range.to })}`;
}

/** `GET /api/admin/calls`: the newest `limit` records of the range, of one user when `userId` is set. */
export function recordsPath(range: DayRange, userId: string, limit: number): string {
  const params = new URLSearchParams({ from: range.from, to: range.to, limit: String(limit) });
  if (userId) params.set('userId', userId);
  return `/api/admin/calls?${params}`;
}
