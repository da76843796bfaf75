import { useState } from 'preact/hooks';
import { Field, type FieldProps } from './Field';

/** A password input with a Show button, so nobody needs to type it twice. */
export function PasswordField(props: Omit<FieldProps, 'type' | 'after'> & { autoComplete: 'current-password' | 'new-password' }) {
  const [shown, setShown] = useState(false);
  return (
    <Field
      {...props}
      type={shown ? 'text' : 'password'}
      autoCapitalize="none"
      spellcheck={false}
      after={
        <button
          type="button"
          class="secondary field-toggle"
          aria-pressed={shown}
          aria-label={`Show ${props.label.toLowerCase()}`}
          onClick={() => setShown(!shown)}
        >
          Show
        </button>
      }
    />
  );
}
