/** How a call reads in the history list: names, day groups, durations, outcomes. Pure, so it is tested alone. */
import type { HistoryCall } from '../../../shared/calls-api';

/** Who the call was with, as a person reads it: the contact, the colleague, the number. */
export function partyName(call: HistoryCall): string {
  return call.contactName ?? call.colleague?.name ?? call.remoteNumber ?? 'Unknown caller';
}

/** A second line: the number when a name is shown, and the number used on our side. */
export function partyDetail(call: HistoryCall): string {
  const parts: string[] = [];
  if (call.remoteNumber && (call.contactName || call.colleague)) parts.push(call.remoteNumber);
  if (call.ourNumber) parts.push(call.direction === 'incoming' ? `to ${call.ourNumber}` : `from ${call.ourNumber}`);
  if (call.direction === 'incoming' && call.answeredBy && call.outcome === 'answered' && call.answeredBy.name) {
    parts.push(`answered by ${call.answeredBy.name}`);
  }
  return parts.join(' · ');
}

/** "1:05", "12:00", "1:02:03". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const OUTCOMES: Record<NonNullable<HistoryCall['outcome']>, { incoming: string; outgoing: string }> = {
  answered: { incoming: 'Incoming', outgoing: 'Outgoing' },
  missed: { incoming: 'Missed', outgoing: 'No answer' },
  busy: { incoming: 'Missed (busy)', outgoing: 'Busy' },
  declined: { incoming: 'Declined', outgoing: 'Declined' },
  voicemail: { incoming: 'Missed (voicemail)', outgoing: 'Voicemail' },
  failed: { incoming: 'Failed', outgoing: 'Failed' },
  blocked: { incoming: 'Blocked', outgoing: 'Blocked' },
};

/** What happened, from this user's side ("Missed", "Outgoing · 1:05"). */
export function outcomeLabel(call: HistoryCall): string {
  if (call.outcome === null) return call.answeredAt ? 'In progress' : 'Ringing';
  const label = OUTCOMES[call.outcome][call.direction];
  return call.outcome === 'answered' ? `${label} · ${formatDuration(call.durationSeconds)}` : label;
}

/** The local calendar day of a time, as a sortable key. */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** "Today", "Yesterday", or the date in the person's locale. */
export function dayLabel(ms: number, now = Date.now(), locale?: string): string {
  const key = dayKey(ms);
  if (key === dayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (key === dayKey(yesterday.getTime())) return 'Yesterday';
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return new Date(ms).toLocaleDateString(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

/** The time of day ("14:05"). */
export function timeOfDay(ms: number, locale?: string): string {
  return new Date(ms).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** Calls grouped by local day, newest day first, each day's calls newest first. */
export function groupByDay(calls: HistoryCall[]): Array<{ key: string; at: number; calls: HistoryCall[] }> {
  const groups: Array<{ key: string; at: number; calls: HistoryCall[] }> = [];
  for (const call of [...calls].sort((a, b) => b.startedAt - a.startedAt)) {
    const key = dayKey(call.startedAt);
    const last = groups.at(-1);
    if (last?.key === key) last.calls.push(call);
    else groups.push({ key, at: call.startedAt, calls: [call] });
  }
  return groups;
}
