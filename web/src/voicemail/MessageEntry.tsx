import { useEffect, useRef, useState } from 'preact/hooks';
import type { VoicemailMessage } from '../../../shared/voicemail-api';
import { CallLink } from '../dialer/CallLink';
import { InlineConfirm } from './InlineConfirm';
import { callBackTarget, callerDetail, messageLength, messageLengthWords, receivedLabel } from './voicemail-format';

/**
 * One message: who left it and when, how long, whether it is new; a player
 * (streamed: nothing is fetched until play), call back, and delete after a
 * question.
 */
export function MessageEntry(props: {
  message: VoicemailMessage;
  name: string;
  country: string;
  onPlay(message: VoicemailMessage): void;
  onDelete(message: VoicemailMessage): Promise<string | null>;
}) {
  const { message, name } = props;
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  // Kept after all: back to the button that asked, once it is there again.
  useEffect(() => {
    if (confirming || !refocus.current) return;
    refocus.current = false;
    deleteButton.current?.focus();
  }, [confirming]);
  const nameId = `voicemail-${message.id}-name`;
  const detail = callerDetail(message, name, props.country);
  const callBack = callBackTarget(message);
  const cancel = () => {
    refocus.current = true;
    setConfirming(false);
  };
  const confirm = async () => {
    setDeleting(true);
    const failed = await props.onDelete(message);
    // Gone on success: the list moves the focus on. Still here: say why.
    if (failed) {
      setDeleting(false);
      setProblem(failed);
    }
  };
  return (
    <li
      class={message.heard ? 'voicemail-row' : 'voicemail-row voicemail-unheard'}
      data-message-id={message.id}
      aria-labelledby={nameId}
      tabIndex={-1}
    >
      <div class="voicemail-head">
        <h3 id={nameId} class="voicemail-name">
          {name}
          {!message.heard && (
            <>
              <span class="visually-hidden">,</span> <span class="voicemail-new">New</span>
            </>
          )}
        </h3>
        {detail && <span class="voicemail-detail muted">{detail}</span>}
        <span class="voicemail-when muted">
          <time dateTime={new Date(message.receivedAt).toISOString()}>{receivedLabel(message.receivedAt)}</time>
          {' · '}
          <span aria-hidden="true">{messageLength(message.durationMs)}</span>
          <span class="visually-hidden">{messageLengthWords(message.durationMs)}</span>
        </span>
      </div>
      {/* biome-ignore lint/a11y/useMediaCaption: a caller's voicemail has no captions to offer */}
      <audio
        class="voicemail-audio"
        controls
        preload="none"
        src={message.audioUrl}
        aria-label={`Play the message from ${name}`}
        onPlay={() => props.onPlay(message)}
      />
      <div class="voicemail-actions">
        {callBack && (
          <CallLink class="call-link" target={callBack} label={`Call ${name} back`}>
            ☎
          </CallLink>
        )}
        {confirming ? (
          <InlineConfirm
            label={`Delete the message from ${name}?`}
            confirm="Delete"
            cancel="Keep it"
            busy={deleting}
            onConfirm={() => void confirm()}
            onCancel={cancel}
          >
            It is deleted from every device and cannot be played again.
          </InlineConfirm>
        ) : (
          <button
            type="button"
            class="secondary danger"
            ref={deleteButton}
            aria-label={`Delete the message from ${name}`}
            onClick={() => {
              setProblem(null);
              setConfirming(true);
            }}
          >
            Delete
          </button>
        )}
      </div>
      {problem && (
        <p class="voicemail-problem" role="alert">
          {problem}
        </p>
      )}
    </li>
  );
}
