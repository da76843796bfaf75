import { dndError, dndSaving, myDnd, setDnd } from './dnd';

/**
 * The do-not-disturb switch: a button with `role="switch"`, so screen readers
 * say "on"/"off". While on, calls do not ring and go to voicemail.
 */
export function DndSwitch() {
  const on = myDnd.value;
  const known = on !== undefined;
  return (
    <div class="dnd">
      <button
        type="button"
        role="switch"
        class="dnd-switch"
        aria-checked={on === true}
        aria-describedby="dnd-hint"
        aria-busy={dndSaving.value}
        // Until the live channel or a save has told us, a tap still sets the switch: it says what to set, not what to flip.
        onClick={() => void setDnd(!on)}
      >
        <span class="dnd-track" aria-hidden="true">
          <span class="dnd-thumb" />
        </span>
        <span>Do not disturb</span>
      </button>
      <p id="dnd-hint" class="dnd-hint muted">
        {!known ? 'Connecting…' : on ? 'On: calls go to voicemail.' : 'Off: calls ring.'}
      </p>
      {dndError.value && (
        <p class="field-error" role="status">
          {dndError.value}
        </p>
      )}
    </div>
  );
}
