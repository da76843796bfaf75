import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

/**
 * A labelled set of radio buttons (shown as a segmented control), with its
 * hint and its error read with the group, as {@link Field} does for an input.
 */
export function Choice<T extends string>({
  name,
  legend,
  options,
  value,
  onValue,
  hint,
  error,
}: {
  name: string;
  legend: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onValue: (value: T) => void;
  hint?: ComponentChildren;
  error?: string;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset class={error ? 'choice field-invalid' : 'choice'} aria-describedby={describedBy}>
      <legend>{legend}</legend>
      <div class="choice-options">
        {options.map((o) => (
          <label key={o.value}>
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={value === o.value}
              onChange={() => onValue(o.value)}
              aria-invalid={error && value === o.value ? 'true' : undefined}
            />
            {o.label}
          </label>
        ))}
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
    </fieldset>
  );
}
