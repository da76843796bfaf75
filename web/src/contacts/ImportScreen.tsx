import { useMemo, useState } from 'preact/hooks';
import type { ImportMode } from '../../../shared/contacts-api';
import { type Deduplicated, dedupeWithinFile } from '../../../shared/contacts-import/dedupe';
import { type ImportPreview, previewImport } from '../../../shared/contacts-import/preview';
import { SKIP_REASON_TEXT, type SkippedEntry } from '../../../shared/contacts-import/types';
import type { ProblemBody } from '../../../shared/problem';
import { toProblem } from '../api/client';
import { online } from '../app/connectivity';
import { Screen } from '../app/Screen';
import { me } from '../auth/session';
import { type ImportProgress, ImportStopped, newImport, rollbackImport, runImport } from './import-runner';
import { canPickContacts, pickDeviceContacts, type ReadFile, readContactsFile } from './parse-file';
import { useContacts } from './use-contacts';

/** What is being sent: the file's contacts with its own duplicates settled, and what that left out. */
interface Sending {
  read: ReadFile;
  source: 'file' | 'device';
  batch: Deduplicated;
}

type Stage =
  | { kind: 'choose'; problem?: string }
  | { kind: 'reading'; name: string }
  | { kind: 'preview'; read: ReadFile; source: 'file' | 'device'; name: string }
  | ({ kind: 'importing' | 'done'; progress: ImportProgress } & Sending)
  | ({ kind: 'stopped'; progress: ImportProgress; problem: ProblemBody } & Sending)
  | { kind: 'undone'; removed: number };

const FORMAT_TEXT = {
  vcard: 'vCard',
  'csv-google': 'Google CSV',
  'csv-outlook': 'Outlook CSV',
  'csv-generic': 'CSV',
  device: 'this device',
};

const n = (value: number) => value.toLocaleString();

function SkippedList({ entries }: { entries: ReadonlyArray<SkippedEntry> }) {
  if (entries.length === 0) return null;
  return (
    <details class="import-skipped">
      <summary>Left out ({n(entries.length)})</summary>
      <ul>
        {entries.slice(0, 500).map((s) => (
          <li key={`${s.where}:${s.reason}`}>
            <strong>{s.where}</strong>
            {s.name ? ` (${s.name})` : ''}: {SKIP_REASON_TEXT[s.reason]}
            {s.detail ? ` — ${s.detail}` : ''}
          </li>
        ))}
        {entries.length > 500 && <li>…and {n(entries.length - 500)} more.</li>}
      </ul>
    </details>
  );
}

/** Import from a vCard or CSV file, or from the device's contacts: read, preview, import in batches, report. */
export function ImportScreen() {
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [mode, setMode] = useState<ImportMode>('merge');
  const contacts = useContacts();
  const country = me.value?.business.country ?? 'GB';

  // The preview's counts, against the numbers already in the user's contacts (kept current
  // while the preview shows; not recomputed while an import adds thousands).
  const counts = useMemo<ImportPreview | undefined>(() => {
    if (stage.kind !== 'preview') return undefined;
    const known = new Set<string>();
    if (contacts.status === 'ready') for (const c of contacts.contacts.values()) for (const e of c.e164s) known.add(e);
    return previewImport(stage.read.prepared, (e) => known.has(e));
  }, [stage, contacts.status === 'ready' ? contacts.revision : -1]);

  async function read(task: () => Promise<ReadFile>, name: string, source: 'file' | 'device') {
    setStage({ kind: 'reading', name });
    try {
      setStage({ kind: 'preview', read: await task(), source, name });
    } catch (e) {
      setStage({
        kind: 'choose',
        problem: e instanceof Error && e.name === 'AbortError' ? undefined : 'That could not be read as contacts.',
      });
    }
  }

  async function start({ read, source, batch }: Sending, progress: ImportProgress) {
    const sending: Sending = { read, source, batch };
    setStage({ kind: 'importing', ...sending, progress });
    try {
      const done = await runImport(batch.contacts, {
        mode,
        source,
        progress,
        onProgress: (p) => setStage({ kind: 'importing', ...sending, progress: p }),
      });
      setStage({ kind: 'done', ...sending, progress: done });
    } catch (e) {
      if (e instanceof ImportStopped) setStage({ kind: 'stopped', ...sending, progress: e.progress, problem: e.cause.problem });
      else setStage({ kind: 'stopped', ...sending, progress, problem: toProblem(e) });
    }
  }

  function begin(read: ReadFile, source: 'file' | 'device') {
    const batch = dedupeWithinFile(read.prepared.contacts, mode);
    void start({ read, source, batch }, newImport(batch.contacts));
  }

  async function undo(importId: string) {
    try {
      setStage({ kind: 'undone', removed: (await rollbackImport(importId)).removed });
    } catch (e) {
      if (stage.kind === 'stopped' || stage.kind === 'done') setStage({ ...stage, kind: 'stopped', problem: toProblem(e) } as Stage);
    }
  }

  return (
    <Screen title="Import contacts">
      <p>
        <a href="/contacts">← All contacts</a>
      </p>
      {stage.kind === 'choose' && (
        <div class="import-choose">
          {stage.problem && (
            <div class="form-problem" role="alert">
              <p>{stage.problem}</p>
            </div>
          )}
          <div class="field">
            <label for="import-file">Choose a vCard (.vcf) or CSV file</label>
            <input
              id="import-file"
              type="file"
              accept=".vcf,.vcard,.csv,text/vcard,text/x-vcard,text/csv"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (file) void read(() => readContactsFile(file, country), file.name, 'file');
              }}
            />
            <p class="field-hint">Exports from iPhone, Android, Google Contacts and Outlook all work.</p>
          </div>
          {canPickContacts() && (
            <button type="button" class="secondary" onClick={() => void read(() => pickDeviceContacts(country), 'your device', 'device')}>
              Choose from this device’s contacts
            </button>
          )}
        </div>
      )}
      {stage.kind === 'reading' && (
        <p class="loading" role="status">
          Reading {stage.name}…
        </p>
      )}
      {stage.kind === 'preview' && counts && (
        <Preview
          stage={stage}
          mode={mode}
          setMode={setMode}
          counts={counts}
          onImport={() => begin(stage.read, stage.source)}
          onCancel={() => setStage({ kind: 'choose' })}
        />
      )}
      {(stage.kind === 'importing' || stage.kind === 'stopped' || stage.kind === 'done') && (
        <div class="import-progress">
          <label for="import-progress">
            {stage.kind === 'done' ? 'Imported' : 'Importing'} {n(stage.progress.sent)} of {n(stage.progress.total)}
          </label>
          <progress id="import-progress" max={stage.progress.total} value={stage.progress.sent} />
        </div>
      )}
      {stage.kind === 'stopped' && (
        <div class="form-problem" role="alert">
          <p>
            The import stopped after {n(stage.progress.sent)} of {n(stage.progress.total)} contacts:{' '}
            {stage.problem.detail ?? stage.problem.title}
          </p>
          <div class="form-actions">
            <button type="button" disabled={!online.value} onClick={() => void start(stage, stage.progress)}>
              Continue the import
            </button>
            <button type="button" class="secondary" disabled={!online.value} onClick={() => void undo(stage.progress.importId)}>
              Undo what was imported
            </button>
          </div>
        </div>
      )}
      {stage.kind === 'done' && (
        <div class="import-report" role="status">
          <p>
            Done: {n(stage.progress.created)} new, {n(stage.progress.merged + stage.batch.merged)} merged into existing contacts,{' '}
            {n(leftOut(stage).length)} left out.
          </p>
          <SkippedList entries={leftOut(stage)} />
          <div class="form-actions">
            <a class="button" href="/contacts">
              See your contacts
            </a>
            <button type="button" class="secondary" disabled={!online.value} onClick={() => void undo(stage.progress.importId)}>
              Undo this import
            </button>
          </div>
        </div>
      )}
      {stage.kind === 'undone' && (
        <p class="form-note" role="status">
          The import was undone: {n(stage.removed)} contacts removed. <a href="/contacts">Back to contacts</a>
        </p>
      )}
    </Screen>
  );
}

/** Everything left out: by the file's reading, as a duplicate within it, and by the server. */
function leftOut(stage: Sending & { progress: ImportProgress }): SkippedEntry[] {
  return [
    ...stage.read.prepared.skipped,
    ...stage.batch.skipped,
    ...stage.progress.skipped.map((s) => ({ where: s.origin, reason: s.reason })),
  ];
}

function Preview(props: {
  stage: Extract<Stage, { kind: 'preview' }>;
  mode: ImportMode;
  setMode: (m: ImportMode) => void;
  counts: { new: number; duplicates: number; skipped: number };
  onImport: () => void;
  onCancel: () => void;
}) {
  const { stage, mode, setMode, counts, onImport, onCancel } = props;
  const found = stage.read.prepared.contacts.length;
  return (
    <section class="import-preview" aria-labelledby="import-preview-title">
      <h2 id="import-preview-title">
        {stage.name}: {n(found + counts.skipped)} entries ({FORMAT_TEXT[stage.read.format]})
      </h2>
      <dl class="details import-counts">
        <dt>New contacts</dt>
        <dd>{n(counts.new)}</dd>
        <dt>Already in your contacts</dt>
        <dd>{n(counts.duplicates)}</dd>
        <dt>Left out</dt>
        <dd>{n(counts.skipped)}</dd>
      </dl>
      {counts.duplicates > 0 && (
        <fieldset class="choice">
          <legend>Contacts you already have (the same phone number)</legend>
          <div class="choice-options">
            <label>
              <input type="radio" name="import-mode" checked={mode === 'merge'} onChange={() => setMode('merge')} /> Merge: add their new
              numbers and emails
            </label>
            <label>
              <input type="radio" name="import-mode" checked={mode === 'skip'} onChange={() => setMode('skip')} /> Skip them
            </label>
          </div>
        </fieldset>
      )}
      <SkippedList entries={stage.read.prepared.skipped} />
      <div class="form-actions">
        <button type="button" disabled={found === 0 || !online.value} onClick={onImport}>
          Import {n(mode === 'merge' ? found : counts.new)} contacts
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Choose another file
        </button>
      </div>
      {!online.value && <p class="muted">Importing needs a connection; the preview works offline.</p>}
    </section>
  );
}
