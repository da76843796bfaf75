import { useEffect, useState } from 'preact/hooks';
import type { RecordingInfo, RecordingSettings, RecordingsPage } from '../../../shared/admin-api';
import { api } from '../api/client';
import { formatWhen } from '../settings/format';
import { ConfirmStep } from './ConfirmStep';
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

/** Who called whom, from the call record (a recording's or the record itself): "Grace Hopper → +441614960004". */
export function partiesOf(r: Pick<RecordingInfo, 'kind' | 'caller' | 'answeredBy' | 'remoteNumber' | 'ourNumber'>): string {
  const person = (p: RecordingInfo['caller']) => p?.name ?? null;
  switch (r.kind) {
    case 'outbound':
      return `${person(r.caller) ?? 'A former user'} → ${r.remoteNumber ?? 'an unknown number'}`;
    case 'inbound':
      return `${r.remoteNumber ?? 'A withheld number'} → ${person(r.answeredBy) ?? r.ourNumber ?? 'your business'}`;
    case 'internal':
      return `${person(r.caller) ?? 'A former user'} → ${person(r.answeredBy) ?? 'a colleague'}`;
    default:
      return 'Call details no longer kept';
  }
}

/** The recordings, newest first: play each, or delete it after a confirm step. */
function Recordings() {
  const { state, retry } = useLoad<RecordingsPage>('/api/admin/recordings');
  const action = useAction();
  const [confirming, setConfirming] = useState<string | null>(null);
  // After "Cancel", the focus goes back to the Delete button it came from.
  const [refocus, setRefocus] = useState<string | null>(null);
  useEffect(() => {
    if (refocus === null) return;
    document.getElementById(`recording-${refocus}-delete`)?.focus();
    setRefocus(null);
  }, [refocus]);

  const remove = async (r: RecordingInfo) => {
    await action.run(`delete:${r.id}`, () => api.del(`/api/admin/recordings/${encodeURIComponent(r.id)}`), 'The recording was deleted.');
    setConfirming(null);
  };

  return (
    <>
      <h3 id="admin-recordings">Recordings</h3>
      <OutcomeNote outcome={action.outcome} />
      {state.kind === 'loading' && <p class="muted">Loading recordings…</p>}
      {state.kind === 'failed' && <LoadProblem what="Recordings" problem={state.problem} retry={retry} />}
      {state.kind === 'ready' && state.data.recordings.length === 0 && <p class="muted">No recordings yet.</p>}
      {state.kind === 'ready' && state.data.recordings.length > 0 && (
        <ul class="admin-list" aria-labelledby="admin-recordings">
          {state.data.recordings.map((r) => {
            const when = formatWhen(r.startedAt ?? r.createdAt);
            const label = `the call of ${when}, ${partiesOf(r)}`;
            return (
              <li key={r.id} class="admin-row" aria-labelledby={`recording-${r.id}-title`}>
                <div class="admin-row-text">
                  <strong id={`recording-${r.id}-title`}>{when}</strong>
                  <span>{partiesOf(r)}</span>
                  <span class="muted admin-row-detail">
                    <span class="visually-hidden">Length </span>
                    {duration(r.durationMs)}
                  </span>
                </div>
                {/* Nothing is fetched until played: a list of recordings costs no audio. */}
                {/* biome-ignore lint/a11y/useMediaCaption: a recorded phone call; no transcript exists to offer as captions */}
                <audio
                  controls
                  preload="none"
                  style={{ maxWidth: '100%' }}
                  src={`/api/admin/recordings/${encodeURIComponent(r.id)}/audio`}
                  aria-label={`Recording of ${label}`}
                />
                {confirming !== r.id && (
                  <button
                    type="button"
                    class="secondary danger"
                    id={`recording-${r.id}-delete`}
                    aria-label={`Delete the recording of ${label}`}
                    disabled={action.busy !== null}
                    onClick={() => setConfirming(r.id)}
                  >
                    Delete…
                  </button>
                )}
                {confirming === r.id && (
                  <ConfirmStep
                    id={`recording-${r.id}`}
                    question={`Delete the recording of ${label}?`}
                    confirm="Yes, delete the recording"
                    working="Deleting…"
                    busy={action.busy === `delete:${r.id}`}
                    onConfirm={() => void remove(r)}
                    onCancel={() => {
                      setConfirming(null);
                      setRefocus(r.id);
                    }}
                  >
                    The audio is deleted for good. The call stays in the call records.
                  </ConfirmStep>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
