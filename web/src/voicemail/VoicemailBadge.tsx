import { unheardVoicemail } from './unheard';

/** The count of unheard messages on the Voicemail link; nothing when there are none. */
export function VoicemailBadge() {
  const count = unheardVoicemail.value;
  if (count <= 0) return null;
  return (
    <span class="nav-badge" data-count={count}>
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <span class="visually-hidden">{`, ${count} unheard ${count === 1 ? 'message' : 'messages'}`}</span>
    </span>
  );
}
