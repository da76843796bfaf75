import { useEffect, useRef, useState } from 'preact/hooks';
import type { VoicemailMessage } from '../../../shared/voicemail-api';
import { EmptyState } from '../app/Screen';
import { me } from '../auth/session';
import { MessageEntry } from './MessageEntry';
import type { InboxState } from './use-inbox';
import { callerName } from './voicemail-format';

/** The messages, newest first, each playable, deletable and one tap from calling back; from the device's copy when offline. */
export function InboxSection({ inbox }: { inbox: InboxState }) {
  const country = me.value?.business.country ?? 'GB';
  const list = useRef<HTMLUListElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // After a delete: the message to move to (the next, else the previous), or null for the heading.
  const focusAfterDelete = useRef<string | null | undefined>(undefined);
  const [announcement, setAnnouncement] = useState('');
  const unheard = inbox.messages.filter((m) => !m.heard).length;
  const nameOf = (m: VoicemailMessage) => callerName(m, country, m.fromNumber ? inbox.names.get(m.fromNumber) : undefined);

  useEffect(() => {
    const target = focusAfterDelete.current;
    if (target === undefined) return;
    focusAfterDelete.current = undefined;
    const row = [...(list.current?.children ?? [])].find((el) => (el as HTMLElement).dataset.messageId === target);
    ((row as HTMLElement | undefined) ?? heading.current)?.focus();
  }, [inbox.messages]);

  const remove = async (message: VoicemailMessage) => {
    const index = inbox.messages.findIndex((m) => m.id === message.id);
    // Set before the list changes: it re-renders before this function resumes.
    focusAfterDelete.current = (inbox.messages[index + 1] ?? inbox.messages[index - 1])?.id ?? null;
    const failed = await inbox.remove(message);
    if (failed) focusAfterDelete.current = undefined;
    else setAnnouncement(`The message from ${nameOf(message)} was deleted.`);
    return failed;
  };

  return (
    <section class="voicemail-inbox" aria-labelledby="voicemail-messages">
      <h2 id="voicemail-messages" ref={heading} tabIndex={-1}>
        Messages
        {unheard > 0 && (
          <>
            {' '}
            <span class="voicemail-count">({unheard} new)</span>
          </>
        )}
      </h2>
      <p class="visually-hidden" role="status">
        {announcement}
      </p>
      {inbox.status === 'offline' && (
        <p class="voicemail-note muted" role="status">
          {inbox.messages.length > 0
            ? 'Offline: showing the messages saved on this device. Playing them needs a connection.'
            : 'Offline: no messages are saved on this device yet.'}
        </p>
      )}
      {inbox.status === 'error' && (
        <p class="voicemail-note" role="alert">
          {inbox.problem}{' '}
          <button type="button" class="secondary" onClick={inbox.refresh}>
            Try again
          </button>
        </p>
      )}
      {inbox.messages.length === 0 && inbox.status === 'ready' && (
        <EmptyState>No voicemail. Messages callers leave for you will appear here.</EmptyState>
      )}
      {inbox.messages.length === 0 && inbox.status === 'loading' && <p class="muted">Loading your messages…</p>}
      {inbox.messages.length > 0 && (
        <ul class="voicemail-list" ref={list} aria-labelledby="voicemail-messages">
          {inbox.messages.map((message) => (
            <MessageEntry
              key={message.id}
              message={message}
              name={nameOf(message)}
              country={country}
              onPlay={inbox.played}
              onDelete={remove}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
