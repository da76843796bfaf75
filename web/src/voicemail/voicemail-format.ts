/** How a voicemail message reads: who called, when, how long. Pure, so it is tested alone. */
import { type CountryCode, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { VoicemailMessage } from '../../../shared/voicemail-api';
import { dayLabel, formatDuration, timeOfDay } from '../history/history-format';

/**
 * A number as people write it: national in the business's own country
 * ("020 7183 8750"), international elsewhere ("+33 1 23 45 67 89"); as
 * given when it cannot be parsed.
 */
export function formatNumber(e164: string, country: string): string {
  try {
    const parsed = parsePhoneNumberFromString(e164);
    if (!parsed) return e164;
    // By calling code, not country: numbers in new ranges match no country's patterns yet.
    const home = parsed.countryCallingCode === getCountryCallingCode(country as CountryCode);
    return home ? parsed.formatNational() : parsed.formatInternational();
  } catch {
    return e164;
  }
}

/**
 * Who left the message: the contact's name from the device's contacts
 * (`onDevice`), else the server's match in the contacts, else the colleague,
 * else the number, formatted.
 */
export function callerName(message: VoicemailMessage, country: string, onDevice?: string): string {
  return (
    onDevice ??
    message.contactName ??
    message.fromUser?.name ??
    (message.fromNumber ? formatNumber(message.fromNumber, country) : 'Unknown caller')
  );
}

/** The number under a name, when a name is shown; nothing otherwise (it would say the same twice). */
export function callerDetail(message: VoicemailMessage, name: string, country: string): string | null {
  if (!message.fromNumber) return null;
  const number = formatNumber(message.fromNumber, country);
  return number === name ? null : number;
}

/** A message's length ("0:42"), rounded up so a 300 ms message is not "0:00". */
export function messageLength(ms: number): string {
  return formatDuration(Math.max(1, Math.ceil(ms / 1000)));
}

/** The same length in words, for screen readers ("42 seconds", "1 minute 5 seconds"). */
export function messageLengthWords(ms: number): string {
  const total = Math.max(1, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  const minutes = m > 0 ? `${m} ${m === 1 ? 'minute' : 'minutes'}` : '';
  const seconds = s > 0 ? `${s} ${s === 1 ? 'second' : 'seconds'}` : '';
  return [minutes, seconds].filter(Boolean).join(' ');
}

/** When it was left: "Today 14:05", "Yesterday 09:12", "Monday 3 March 18:40". */
export function receivedLabel(ms: number, now = Date.now()): string {
  return `${dayLabel(ms, now)} ${timeOfDay(ms)}`;
}

/** Whom a call back dials (a colleague by user id, else the number); null when there is nobody to call. */
export function callBackTarget(message: VoicemailMessage): string | null {
  return message.fromUser?.userId ?? message.fromNumber ?? null;
}
