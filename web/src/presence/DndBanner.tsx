import { dndSaving, myDnd, setDnd } from './dnd';

/** On every other screen, a reminder while do-not-disturb is on, with a one-tap way out. */
export function DndBanner() {
  if (myDnd.value !== true) return null;
  return (
    <p class="banner banner-dnd" role="status">
      <span>Do not disturb is on: calls go to voicemail.</span>
      <button type="button" class="secondary" disabled={dndSaving.value} onClick={() => void setDnd(false)}>
        Turn off
      </button>
    </p>
  );
}
