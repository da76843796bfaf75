import { useState } from 'preact/hooks';
import { Field } from '../forms/Field';
import { CallRecordList } from './CallRecordList';
import { type DayRange, type ExportFormat, exportPath, lastMonth, rangeErrors } from './call-export';
import { Select } from './Select';

const FORMAT_OPTIONS: { value: ExportFormat; label: string }[] = [
  { value: 'csv', label: 'CSV (spreadsheets)' },
  { value: 'json', label: 'JSON' },
];

/**
 * The business's call records for billing: a range of days (last month to
 * start with), downloaded as CSV or JSON, and on request the newest calls of
 * the range to look at first. Nothing is fetched until asked.
 */
export function CallRecordsSection() {
  const [range, setRange] = useState<DayRange>(() => lastMonth());
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [showing, setShowing] = useState(false);
  const errors = rangeErrors(range);
  const valid = !errors.from && !errors.to;

  return (
    <section class="settings-section" aria-labelledby="admin-calls">
      <h2 id="admin-calls">Call records</h2>
      <p class="field-hint">Every call of your business with its cost, for billing. Days are in UTC; both days are included.</p>
      <div class="admin-filters">
        <Field
          name="from"
          label="From"
          type="date"
          value={range.from}
          onValue={(from) => setRange({ ...range, from })}
          error={errors.from}
        />
        <Field name="to" label="To" type="date" value={range.to} onValue={(to) => setRange({ ...range, to })} error={errors.to} />
        <Select name="format" label="Format" value={format} onValue={(v) => setFormat(v as ExportFormat)} options={FORMAT_OPTIONS} />
      </div>
      {/* A plain link: the browser sends the session cookie and streams the file to disk, however long the range. */}
      {valid ? (
        <a class="button" href={exportPath(range, format)} download>
          Download {format.toUpperCase()}
        </a>
      ) : (
        <p class="muted">Correct the dates to download.</p>
      )}
      {!showing && (
        <p>
          <button type="button" class="secondary" onClick={() => setShowing(true)}>
            Show the latest calls
          </button>
        </p>
      )}
      {showing && valid && <CallRecordList range={range} />}
    </section>
  );
}
