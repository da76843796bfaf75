import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Screen } from '../app/Screen';
import { registration } from '../calling/line';
import { dial, dialProblem, lastCallEnding } from '../calling/phone';
import { StatusLine } from '../calling/StatusLine';
import { ColleaguesPanel } from '../presence/ColleaguesPanel';
import { DIALPAD_KEYS } from './dialpad-keys';

/** A `tel:` link or a `?dial=` from contacts, history or colleagues arrives as a number to call. */
function initialNumber(dialParam: string | undefined): string {
  return (dialParam ?? '').replace(/^tel:/i, '');
}

/** The dialpad: type, paste or tap a number, an extension or a colleague, then call. */
export function DialerScreen() {
  const { query } = useLocation();
  const [number, setNumber] = useState(() => initialNumber(query.dial));
  const ready = registration.value === 'ready';
  return (
    <Screen title="Dialer">
      <StatusLine />
      <form
        class="dialer"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && number.trim()) void dial(number);
        }}
      >
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
          <button type="submit" class="call-button" disabled={!ready || !number.trim()} aria-describedby="dial-status">
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
        <p id="dial-status" class="muted" role={dialProblem.value || lastCallEnding.value ? 'alert' : undefined}>
          {dialProblem.value ??
            lastCallEnding.value ??
            (ready ? 'Type a number, an extension or paste one.' : 'Calls start once your line is ready.')}
        </p>
      </form>
      <ColleaguesPanel />
    </Screen>
  );
}
