import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A question in place of the button that asked it, for things that cannot
 * be undone: the confirming button takes the focus, Escape keeps things as
 * they were.
 */
export function InlineConfirm(props: {
  label: string;
  confirm: string;
  cancel: string;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
  children: ComponentChildren;
}) {
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmButton.current?.focus(), []);
  return (
    <fieldset
      class="admin-confirm voicemail-confirm"
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onCancel();
      }}
    >
      <legend>{props.label}</legend>
      <p>{props.children}</p>
      <button type="button" class="danger" ref={confirmButton} disabled={props.busy} onClick={props.onConfirm}>
        {props.busy ? 'Working…' : props.confirm}
      </button>{' '}
      <button type="button" class="secondary" disabled={props.busy} onClick={props.onCancel}>
        {props.cancel}
      </button>
    </fieldset>
  );
}
