/**
 * One notification for a new voicemail or a missed call, shown through the
 * service worker (the only way on Android, and its click can open the app
 * when no tab is left). Tagged with the event's id, so an event delivered
 * twice, or seen by two open tabs, shows once.
 */
import type { LiveEvent } from '../../../shared/live-protocol';
import { me } from '../auth/session';
import { lookupContactByNumber } from '../contacts/caller-identity';
import { colleagueList } from '../presence/colleagues';
import { formatNumber } from './voicemail-format';

type AlertEvent = Extract<LiveEvent, { kind: 'new_voicemail' | 'missed_call' }>;

/** Who called, in words: a colleague, a contact from the device's copy, the number formatted; null when unknown. */
export async function callerLabel(from: string | null | undefined): Promise<string | null> {
  if (!from) return null;
  const colleague = colleagueList.value?.find((c) => c.userId === from)?.name;
  if (colleague) return colleague;
  if (!from.startsWith('+')) return from;
  const contact = await lookupContactByNumber(from);
  return contact?.name ?? formatNumber(from, me.value?.business.country ?? 'GB');
}

/** What the notification says and where its click leads. */
export async function notificationFor(event: AlertEvent): Promise<{ title: string; options: NotificationOptions }> {
  const who = await callerLabel(event.from);
  const voicemail = event.kind === 'new_voicemail';
  return {
    title: voicemail ? 'New voicemail' : 'Missed call',
    options: {
      body: who ? `From ${who}` : 'From an unknown caller',
      tag: event.id,
      icon: '/icons/icon-192.png',
      data: { url: voicemail ? '/voicemail' : '/history' },
    },
  };
}

/** Shows the notification, if the user allowed notifications and a service worker is there to show it. */
export async function notify(event: AlertEvent): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || !('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) return;
  const { title, options } = await notificationFor(event);
  await registration.showNotification(title, options);
}
