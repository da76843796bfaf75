/** Where a tap on a number goes besides a call (`CallLink`, web/src/dialer): a conversation. */

/** The conversation with this number. */
export function textHref(e164: string): string {
  return `/messages?to=${encodeURIComponent(e164)}`;
}

/** A contact's page, and its edit form. */
export const contactHref = (id: string) => `/contacts/${encodeURIComponent(id)}`;
export const editHref = (id: string) => `/contacts/${encodeURIComponent(id)}/edit`;

/** Labels as a person reads them. */
export const LABEL_TEXT: Record<string, string> = { mobile: 'Mobile', work: 'Work', home: 'Home', other: 'Other' };
