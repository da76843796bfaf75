import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { featureOff } from '../admin/my-features';
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
  const { query, route } = useLocation();
  const dialParam = query.dial;
  const [number, setNumber] = useState(() => initialNumber(dialParam));
  // The router keeps this screen mounted across `/?dial=` links (contacts, voicemail, a `tel:` link):
  // each one fills the box, not only the first. Then the address goes back to `/`, so the same link
  // works again later and a reload does not bring back an old number. Filled, never called: a link
  // from another site must not start a call without a tap on Call.
  useEffect(() => {
    if (dialParam === undefined) return;
    setNumber(initialNumber(dialParam));
    route('/', true);
  }, [dialParam]);
  const ready = registration.value === 'ready';
  if (featureOff('calling')) {
    return (
      <Screen title="Dialer">
        <p class="notice calling-off" role="status">
          Calling is not included in your licence, so this device cannot make or take calls. Ask your admin to turn it on.
        </p>
        <ColleaguesPanel />
      </Screen>
    );
  }
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
