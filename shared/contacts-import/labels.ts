/** The many ways phones and mail programs name a number or an address → our four labels. */
import type { EmailLabel, PhoneLabel } from '../contacts-limits';

/**
 * A phone label from vCard TYPEs, an iOS `X-ABLabel` or a CSV label
 * ("* Mobile", "Work Fax"): mobile beats work beats home; anything else is other.
 */
export function phoneLabel(words: readonly string[]): PhoneLabel {
  const all = words.join(' ').toLowerCase();
  if (/\b(cell|mobile|iphone|car|cellular)\b/.test(all)) return 'mobile';
  if (/\b(work|business|company|office)\b/.test(all)) return 'work';
  if (/\bhome\b/.test(all)) return 'home';
  return 'other';
}

/** An email label from TYPEs or a CSV label. */
export function emailLabel(words: readonly string[]): EmailLabel {
  const all = words.join(' ').toLowerCase();
  if (/\b(work|business|company|office)\b/.test(all)) return 'work';
  if (/\bhome\b/.test(all)) return 'home';
  return 'other';
}

/** iOS writes its standard labels as `_$!<Mobile>!$_`. */
export function appleLabel(label: string): string {
  return label.replace(/^_\$!<(.*)>!\$_$/, '$1');
}
