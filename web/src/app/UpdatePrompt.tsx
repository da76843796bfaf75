import { signal } from '@preact/signals';
import { activeCallCount } from '../calling/call-activity';
import { liveStatus } from '../live/store';
import { applyUpdate, updateAndReload, updateWaiting } from './sw-registration';

/** "Later" was tapped on the server's request to update: it comes back when the page is next opened. */
const outdatedLater = signal(false);

/**
 * Offers a new version, on every screen: one that is installed and waiting,
 * or the one the server asks for when it refuses this version on the live
 * channel (then colleagues' states and alerts have stopped until the person
 * updates, so it says so). Hidden during a call: reloading would drop it, so
 * the offer comes back when the last call ends.
 */
export function UpdatePrompt() {
  const outdated = liveStatus.value === 'reload' && !outdatedLater.value;
  if ((!outdated && !updateWaiting.value) || activeCallCount.value > 0) return null;
  return (
    <div class={outdated ? 'banner banner-update banner-outdated' : 'banner banner-update'} role={outdated ? 'alert' : 'status'}>
      <span>
        {outdated
          ? 'This version of Softphone is out of date: colleagues and alerts are not live until you update.'
          : 'A new version of Softphone is ready.'}
      </span>
      <button type="button" onClick={() => (outdated ? void updateAndReload() : applyUpdate())}>
        Update now
      </button>
      <button type="button" class="secondary" onClick={() => later(outdated)}>
        Later
      </button>
    </div>
  );
}

/** A waiting version is offered again when another is found; the server's request when the page is next opened. */
function later(outdated: boolean): void {
  if (outdated) outdatedLater.value = true;
  else updateWaiting.value = false;
}

/** Forgets a "Later" (tests). */
export function resetUpdatePrompt(): void {
  outdatedLater.value = false;
}
