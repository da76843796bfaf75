import type { RecordingInfo, RecordingSettings } from '../../../shared/admin-api';
import { api } from '../api/client';
import { formatWhen } from '../settings/format';
import { LoadProblem, OutcomeNote } from './LoadProblem';
import { useAction } from './use-action';
import { useLoad } from './use-load';

/** 61000 → "1:01". */
function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The business's call recording switch (only when bought) and its recordings, for admins only. */
export function RecordingSection() {
  const settings = useLoad<RecordingSettings>('/api/admin/recording');
  const action = useAction();

  const toggle = (enabled: boolean) =>
    action.run(
      'switch',
      () => api.patch('/api/admin/recording', { enabled }),
      enabled ? 'Calls are recorded for users whose seat has recording.' : 'Call recording is off.',
    );

  return (
    <section class="settings-section" aria-labelledby="admin-recording">
      <h2 id="admin-recording">Call recording</h2>
      {settings.state.kind === 'loading' && <p class="muted">Loading…</p>}
      {settings.state.kind === 'failed' && <LoadProblem what="Call recording" problem={settings.state.problem} retry={settings.retry} />}
      {settings.state.kind === 'ready' && !settings.state.data.purchased && (
        <p class="muted">Call recording is not part of your plan. Contact us to add it.</p>
      )}
      {settings.state.kind === 'ready' && settings.state.data.purchased && (
        <>
          <label class="admin-switch">
            <input
              type="checkbox"
              role="switch"
              checked={settings.state.data.enabled}
              aria-checked={settings.state.data.enabled}
              disabled={action.busy !== null}
              onChange={(e) => void toggle(e.currentTarget.checked)}
            />
            Record calls
          </label>
          <p class="field-hint">Only users whose seat includes call recording are recorded. Recordings are for admins only.</p>
          <OutcomeNote outcome={action.outcome} />
          <Recordings />
        </>
      )}
    </section>
  );
}

function Recordings() {
  const { state, retry } = useLoad<{ recordings: RecordingInfo[] }>('/api/admin/recordings');
  return (
    <>
      <h3 id="admin-recordings">Recordings</h3>
      {state.kind === 'loading' && <p class="muted">Loading recordings…</p>}
      {state.kind === 'failed' && <LoadProblem what="Recordings" problem={state.problem} retry={retry} />}
      {state.kind === 'ready' && state.data.recordings.length === 0 && <p class="muted">No recordings yet.</p>}
      {state.kind === 'ready' && state.data.recordings.length > 0 && (
        <ul class="admin-list" aria-labelledby="admin-recordings">
          {state.data.recordings.map((r) => (
            <li key={r.id} class="admin-row">
              <div class="admin-row-text">
                <strong>{formatWhen(r.createdAt)}</strong>
                <span class="muted">{duration(r.durationMs)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
