import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { GREETING_MAX_SECONDS, type GreetingInfo } from '../../../shared/voicemail-api';
import { toProblem } from '../api/client';
import { formatDuration } from '../history/history-format';
import { InlineConfirm } from './InlineConfirm';
import { useGreetingRecorder } from './use-greeting-recorder';
import { voicemailAllowed } from './voicemail-feature';
import { messageLength, receivedLabel } from './voicemail-format';
import { getGreeting, resetGreeting, uploadGreeting } from './voicemail-http';

const clock = (ms: number) => formatDuration(Math.floor(ms / 1000));

function withVersion(url: string, version: number | null): string {
  return version === null ? url : `${url}${url.includes('?') ? '&' : '?'}v=${version}`;
}

/**
 * The greeting callers hear: the default or the user's own. Record a new one
 * (with a clock and a length limit), listen to the take, record again or
 * save it; listen to the saved one; go back to the default.
 */
export function GreetingSection() {
  const [info, setInfo] = useState<GreetingInfo | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirmingDefault, setConfirmingDefault] = useState(false);
  const recorder = useGreetingRecorder();
  const stopButton = useRef<HTMLButtonElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  const recordButton = useRef<HTMLButtonElement>(null);
  const defaultButton = useRef<HTMLButtonElement>(null);
  // Where the focus goes once the button that had it is gone.
  const focusNext = useRef<'record' | 'default' | null>(null);

  const load = useCallback(async () => {
    setLoadProblem(null);
    try {
      // The screen explains a seat without voicemail; nothing is asked of the server.
      if (!(await voicemailAllowed())) return;
      setInfo(await getGreeting());
    } catch (e) {
      const p = toProblem(e);
      setLoadProblem(p.detail ?? p.title);
    }
  }, []);
  useEffect(() => void load(), [load]);

  // The button pressed disappears with each step: the focus follows to the next one.
  useEffect(() => {
    if (recorder.phase === 'recording') stopButton.current?.focus();
    if (recorder.phase === 'recorded') saveButton.current?.focus();
  }, [recorder.phase]);
  useEffect(() => {
    const next = focusNext.current === 'record' ? recordButton.current : focusNext.current === 'default' ? defaultButton.current : null;
    if (!next) return;
    focusNext.current = null;
    next.focus();
  });

  const save = async () => {
    const take = recorder.take;
    if (!take) return;
    setSaving(true);
    setProblem(null);
    try {
      setInfo(await uploadGreeting(take.blob, take.type, take.durationMs));
      focusNext.current = 'record';
      recorder.discard();
      setDone('Your greeting is saved. Callers hear it from now on.');
    } catch (e) {
      const p = toProblem(e);
      setProblem(`Your greeting was not saved. ${p.detail ?? p.title}`);
    } finally {
      setSaving(false);
    }
  };

  const backToDefault = async () => {
    setSaving(true);
    setProblem(null);
    try {
      setInfo(await resetGreeting());
      focusNext.current = 'record';
      setConfirmingDefault(false);
      setDone('Callers hear the default greeting again.');
    } catch (e) {
      const p = toProblem(e);
      setProblem(p.detail ?? p.title);
    } finally {
      setSaving(false);
    }
  };

  const start = () => {
    setDone(null);
    setProblem(null);
    recorder.start();
  };

  const custom = info?.kind === 'custom';
  return (
    <section class="voicemail-greeting" aria-labelledby="voicemail-greeting-title">
      <h2 id="voicemail-greeting-title">Your greeting</h2>
      {info === null && !loadProblem && <p class="muted">Loading your greeting…</p>}
      {loadProblem && (
        <p class="voicemail-note" role="alert">
          {loadProblem}{' '}
          <button type="button" class="secondary" onClick={() => void load()}>
            Try again
          </button>
        </p>
      )}
      {info && !custom && <p>Callers hear the default greeting.</p>}
      {info && custom && (
        <>
          <p>
            Callers hear your greeting
            {info.durationMs !== null && ` (${messageLength(info.durationMs)})`}
            {info.updatedAt !== null && `, recorded ${receivedLabel(info.updatedAt)}`}.
          </p>
          {info.audioUrl && (
            // The address stays the same when the greeting changes: the version makes the player fetch the new one.
            // biome-ignore lint/a11y/useMediaCaption: a spoken greeting the user recorded; there are no captions to offer
            <audio
              key={info.updatedAt}
              class="voicemail-audio"
              controls
              preload="none"
              src={withVersion(info.audioUrl, info.updatedAt)}
              aria-label="Listen to your saved greeting"
            />
          )}
        </>
      )}

      {recorder.phase === 'asking' && <p role="status">Allow the microphone when your browser asks.</p>}
      {recorder.phase === 'recording' && (
        <div class="greeting-recording">
          <p class="greeting-clock">
            <span class="greeting-dot" aria-hidden="true" /> Recording{' '}
            <span role="timer" aria-label="Recording time">
              {clock(recorder.elapsedMs)}
            </span>{' '}
            of {formatDuration(GREETING_MAX_SECONDS)}
          </p>
          <button type="button" class="danger" ref={stopButton} onClick={recorder.stop}>
            Stop recording
          </button>
        </div>
      )}
      {recorder.phase === 'recorded' && recorder.take && (
        <div class="greeting-take">
          <p>Your new greeting ({messageLength(recorder.take.durationMs)}). Listen to it, then save it or record again.</p>
          {/* biome-ignore lint/a11y/useMediaCaption: the user's own take, just recorded */}
          <audio class="voicemail-audio" controls src={recorder.take.url} aria-label="Listen to your new greeting" />
          <div class="form-actions">
            <button type="button" ref={saveButton} disabled={saving} onClick={() => void save()}>
              {saving ? 'Saving…' : 'Save greeting'}
            </button>
            <button type="button" class="secondary" disabled={saving} onClick={start}>
              Record again
            </button>
            <button
              type="button"
              class="secondary"
              disabled={saving}
              onClick={() => {
                focusNext.current = 'record';
                recorder.discard();
              }}
            >
              Discard
            </button>
          </div>
        </div>
      )}
      {(recorder.phase === 'idle' || recorder.phase === 'asking') && (
        <div class="form-actions">
          <button type="button" ref={recordButton} disabled={recorder.phase === 'asking' || info === null} onClick={start}>
            {custom ? 'Record a new greeting' : 'Record your greeting'}
          </button>
          {custom && !confirmingDefault && (
            <button type="button" class="secondary" ref={defaultButton} onClick={() => setConfirmingDefault(true)}>
              Use the default greeting
            </button>
          )}
        </div>
      )}
      {confirmingDefault && (
        <InlineConfirm
          label="Go back to the default greeting?"
          confirm="Use the default"
          cancel="Keep mine"
          busy={saving}
          onConfirm={() => void backToDefault()}
          onCancel={() => {
            focusNext.current = 'default';
            setConfirmingDefault(false);
          }}
        >
          Your recorded greeting is deleted. You can record a new one at any time.
        </InlineConfirm>
      )}
      {(recorder.problem || problem) && (
        <p class="voicemail-problem" role="alert">
          {recorder.problem ?? problem}
        </p>
      )}
      <p class="muted" role="status">
        {recorder.notice ?? done ?? ''}
      </p>
      <p class="muted greeting-hint">Up to {GREETING_MAX_SECONDS} seconds. Say your name and ask callers to leave a message.</p>
    </section>
  );
}
