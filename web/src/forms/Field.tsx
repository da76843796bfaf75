import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

export interface FieldProps extends Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'value' | 'onInput' | 'label'> {
  name: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  /** The field's error from the last problem, shown under it. */
  error?: string;
  /** A rule or example shown under the field and read with it. */
  hint?: ComponentChildren;
  /** Something beside the input (the show-password button). */
  after?: ComponentChildren;
}

/** A labelled input with its hint and its error, tied together for screen readers. */
export function Field({ name, label, value, onValue, error, hint, after, ...input }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      <div class="field-control">
        <input
          {...input}
          id={id}
          name={name}
          value={value}
          onInput={(e) => onValue(e.currentTarget.value)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy}
        />
        {after}
      </div>
      {hint && (
        <p id={hintId} class="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
