import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * The confirm step of an admin action that cannot be undone (deleting a
 * recording, terminating a user): says what it does, takes the focus so the
 * question is read out, and Escape backs out.
 */
export function ConfirmStep(props: {
  /** Names the explanation (`<id>-what`), which describes the step. */
  id: string;
  question: string;
  confirm: string;
  /** The confirm button's label while the action runs. */
  working: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** What the action does. */
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLFieldSetElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <fieldset
      class="admin-confirm"
      aria-describedby={`${props.id}-what`}
      tabIndex={-1}
      ref={ref}
      onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}
    >
      <legend>{props.question}</legend>
      <p id={`${props.id}-what`}>{props.children}</p>
      <div class="admin-actions">
        <button type="button" class="danger" disabled={props.busy} onClick={props.onConfirm}>
          {props.busy ? props.working : props.confirm}
        </button>
        <button type="button" class="secondary" disabled={props.busy} onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
