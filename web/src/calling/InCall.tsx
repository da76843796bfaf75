import { useEffect, useState } from 'preact/hooks';
import { DIALPAD_KEYS } from '../dialer/dialpad-keys';
import type { PhoneCall } from './call';
import { qualityLabel } from './call-quality';
import { DevicePicker } from './DevicePicker';
import { transferUri } from './phone';

const STATE_WORDS: Record<string, string> = {
  dialing: 'Calling…',
  ringing: 'Ringing…',
  answering: 'Connecting…',
  established: 'In call',
  held: 'On hold',
  ending: 'Ending…',
};

function useElapsed(since: number | null): string {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (since === null) return '';
  const s = Math.max(0, Math.floor((now - since) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The controls of a call in progress. */
export function InCall({ call, caller }: { call: PhoneCall; caller: string }) {
  const [keypad, setKeypad] = useState(false);
  const [transferTo, setTransferTo] = useState<string | null>(null);
  const [devices, setDevices] = useState(false);
  const [sent, setSent] = useState('');
  const elapsed = useElapsed(call.answeredAt.value);
  const state = call.state.value;
  const live = state === 'established' || state === 'held';
  const mos = call.mos.value;
  const quality = mos === null ? null : qualityLabel(mos);

  return (
    <section
      class="in-call"
      aria-labelledby={`call-${call.id}`}
      data-call-state={state}
      data-packets-in={call.packetsIn.value}
      data-packets-out={call.packetsOut.value}
    >
      <h2 id={`call-${call.id}`} class="caller">
        {caller}
      </h2>
      <p class="muted" role="status">
        {STATE_WORDS[state] ?? state} {elapsed}
      </p>
      {quality && (
        <p class={`quality quality-${quality}`} data-mos={mos ?? ''}>
          Call quality: {quality}
          {quality === 'poor' ? ' — the connection is struggling' : ''}
        </p>
      )}
      <div class="call-actions">
        <button type="button" aria-pressed={call.muted.value} disabled={!live} onClick={() => call.setMuted(!call.muted.value)}>
          {call.muted.value ? 'Unmute' : 'Mute'}
        </button>
        <button type="button" aria-pressed={state === 'held'} disabled={!live} onClick={() => void call.setHold(state !== 'held')}>
          {state === 'held' ? 'Resume' : 'Hold'}
        </button>
        <button type="button" aria-expanded={keypad} disabled={state !== 'established'} onClick={() => setKeypad(!keypad)}>
          Keypad
        </button>
        <button type="button" disabled={!live} onClick={() => setTransferTo(transferTo === null ? '' : null)}>
          Transfer
        </button>
        <button type="button" aria-expanded={devices} onClick={() => setDevices(!devices)}>
          Devices
        </button>
        <button type="button" class="hangup" onClick={() => void call.hangup()}>
          Hang up
        </button>
      </div>
      {devices && <DevicePicker call={call} />}
      {keypad && (
        <fieldset class="dialpad in-call-keypad">
          <legend class="visually-hidden">Send tones</legend>
          {DIALPAD_KEYS.map((key) => (
            <button
              key={key.digit}
              type="button"
              class="dialpad-key"
              aria-label={`Send ${key.digit}`}
              onClick={() => {
                if (call.sendDtmf(key.digit)) setSent((s) => s + key.digit);
              }}
            >
              <span class="digit">{key.digit}</span>
            </button>
          ))}
          <output class="muted" aria-label="Tones sent">
            {sent}
          </output>
        </fieldset>
      )}
      {transferTo !== null && (
        <form
          class="transfer-form"
          onSubmit={async (e) => {
            e.preventDefault();
            const uri = await transferUri(transferTo);
            if (uri) await call.transfer(uri);
          }}
        >
          <label for={`transfer-${call.id}`}>Transfer to (number or extension)</label>
          <input id={`transfer-${call.id}`} type="tel" value={transferTo} onInput={(e) => setTransferTo(e.currentTarget.value)} />
          <button type="submit">Transfer now</button>
        </form>
      )}
    </section>
  );
}
