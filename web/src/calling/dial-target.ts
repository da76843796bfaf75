/**
 * What the person typed → whom to call: an extension (2 to 6 digits), a
 * platform user id (from the colleagues list), or a phone number in E.164
 * (national formats read in the business's country). libphonenumber-js is
 * imported with the calling code, never before first paint.
 */
export type DialTarget = { kind: 'extension' | 'user' | 'number'; value: string };

/** Fetches libphonenumber ahead of the first dial (once the line is ready), so that call does not wait for it. */
export function preloadNumberParsing(): void {
  void import('libphonenumber-js/min').catch(() => {});
}

export async function parseDialInput(input: string, country: string): Promise<DialTarget | undefined> {
  const trimmed = input.trim();
  if (/^usr_[A-Za-z0-9_-]+$/.test(trimmed)) return { kind: 'user', value: trimmed };
  const compact = trimmed.replace(/[\s().-]/g, '');
  if (/^\d{2,6}$/.test(compact)) return { kind: 'extension', value: compact };
  const { parsePhoneNumberFromString } = await import('libphonenumber-js/min');
  const parsed = parsePhoneNumberFromString(trimmed, { defaultCountry: country as never });
  return parsed?.isPossible() ? { kind: 'number', value: parsed.number } : undefined;
}
