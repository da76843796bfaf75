import Bowser from 'bowser';

/** "Chrome on Android", "Safari on iOS": how a person recognises their device in a session list. */
export function deviceLabel(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device';
  const parsed = Bowser.parse(userAgent);
  const browser = parsed.browser.name ?? 'Browser';
  const os = parsed.os.name;
  return os ? `${browser} on ${os}` : browser;
}
