import { activeCallCount } from '../calling/call-activity';
import { applyUpdate, updateWaiting } from './sw-registration';

/**
 * Offers a waiting new version. Hidden during a call: reloading would drop
 * it, so the offer comes back when the last call ends.
 */
export function UpdatePrompt() {
  if (!updateWaiting.value || activeCallCount.value > 0) return null;
  return (
    <div class="banner banner-update" role="status">
      <span>A new version of Softphone is ready.</span>
      <button type="button" onClick={() => applyUpdate()}>
        Update now
      </button>
      <button type="button" class="secondary" onClick={() => (updateWaiting.value = false)}>
        Later
      </button>
    </div>
  );
}
