import { online } from '../app/connectivity';
import { syncNow, syncStatus } from '../storage/contacts-sync';

/** One line on where the contacts stand: offline, edits waiting, or a sync that failed. */
export function SyncNote() {
  const { phase, pending } = syncStatus.value;
  const waiting = pending > 0 ? ` ${pending === 1 ? '1 change is' : `${pending} changes are`} waiting to be sent.` : '';
  if (!online.value || phase === 'offline') {
    return (
      <p class="muted sync-note" role="status">
        Showing the contacts saved on this device; changes are sent when you reconnect.{waiting}
      </p>
    );
  }
  if (phase === 'failed') {
    return (
      <p class="sync-note notice" role="status">
        Your contacts could not be brought up to date.{' '}
        <button type="button" class="link-button" onClick={() => void syncNow()}>
          Try again
        </button>
      </p>
    );
  }
  if (pending > 0) {
    return (
      <p class="muted sync-note" role="status">
        {waiting.trim()}
      </p>
    );
  }
  return null;
}
