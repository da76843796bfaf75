import { useState } from 'preact/hooks';
import { Screen } from '../app/Screen';
import { DIALPAD_KEYS } from './dialpad-keys';

/** The dialpad: type, paste or tap a number. Calling arrives with SIP.js. */
export function DialerScreen() {
  const [number, setNumber] = useState('');
  return (
    <Screen title="Dialer">
      <form class="dialer" onSubmit={(e) => e.preventDefault()}>
        <label class="visually-hidden" for="dial-number">
          Number to call
        </label>
        <input
          id="dial-number"
          class="dial-number"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          placeholder="Number, extension or name"
          value={number}
          onInput={(e) => setNumber(e.currentTarget.value)}
        />
        <fieldset class="dialpad">
          <legend class="visually-hidden">Dialpad</legend>
          {DIALPAD_KEYS.map((key) => (
            <button
              key={key.digit}
              type="button"
              class="dialpad-key"
              aria-label={key.digit}
              onClick={() => setNumber((n) => n + key.digit)}
            >
              <span class="digit">{key.digit}</span>
              <span class="letters" aria-hidden="true">
                {key.letters}
              </span>
            </button>
          ))}
        </fieldset>
        <div class="dial-actions">
          <button type="submit" class="call-button" disabled aria-describedby="dial-status">
            Call
          </button>
          <button
            type="button"
            class="secondary"
            aria-label="Delete last digit"
            disabled={!number}
            onClick={() => setNumber((n) => n.slice(0, -1))}
          >
            ⌫
          </button>
        </div>
        <p id="dial-status" class="muted">
          Sign in to connect your phone line.
        </p>
      </form>
    </Screen>
  );
}
