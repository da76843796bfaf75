import { useState } from 'preact/hooks';

/** Lets the person allow notifications, so a call rings visibly while the app is in the background. */
export function NotificationsSection() {
  const supported = typeof Notification !== 'undefined';
  const [permission, setPermission] = useState(supported ? Notification.permission : 'denied');
  return (
    <section class="settings-section" aria-labelledby="settings-notifications">
      <h2 id="settings-notifications">Incoming calls in the background</h2>
      {!supported ? (
        <p class="muted">This browser cannot show notifications.</p>
      ) : permission === 'granted' ? (
        <p class="muted">Calls and new voicemail show a notification when Softphone is in the background.</p>
      ) : permission === 'denied' ? (
        <p class="muted">
          Notifications are blocked for Softphone. Allow them in your browser's site settings to see calls in the background.
        </p>
      ) : (
        <button type="button" onClick={() => void Notification.requestPermission().then(setPermission)}>
          Show calls when Softphone is in the background
        </button>
      )}
    </section>
  );
}
