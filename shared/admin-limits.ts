/**
 * The admin settings' constants, without zod, so the PWA can use them
 * without shipping the schema library (see `admin-api.ts` for the schemas).
 */

/** What a seat can include; each is off for a user without a seat. */
export const FEATURES = ['calling', 'sms', 'voicemail', 'recording'] as const;
export type Feature = (typeof FEATURES)[number];

/** A seat's features, and `GET /api/me/features`. */
export interface Features {
  calling: boolean;
  sms: boolean;
  voicemail: boolean;
  recording: boolean;
}

/** A user without a seat (or not active) has none. */
export const NO_FEATURES: Readonly<Features> = { calling: false, sms: false, voicemail: false, recording: false };

/** A new seat's features unless the admin says otherwise: recording is sold separately. */
export const DEFAULT_SEAT: Readonly<Features> = { calling: true, sms: true, voicemail: true, recording: false };

export const EXTENSION_MIN_DIGITS = 2;
export const EXTENSION_MAX_DIGITS = 6;

/**
 * Short codes an extension must not shadow: emergency and public service
 * numbers people dial from a phone (112, 999, 911…). The dialler treats any
 * 2 to 6 digits as an extension, so one of these as an extension would take
 * an emergency call.
 */
export const RESERVED_EXTENSIONS: readonly string[] = [
  '000',
  '08',
  '100',
  '101',
  '102',
  '108',
  '110',
  '111',
  '112',
  '118',
  '119',
  '911',
  '999',
];

/** Up to 1,000,000.00 in the business's currency: a typo should not unlock unlimited spend. */
export const SPENDING_LIMIT_MAX_CENTS = 100_000_000;
