/**
 * Which signed-in device answered a call: the PWA registers with its
 * session's public device id as a parameter of its SIP Contact
 * (`<sip:…;transport=ws;device=<id>>`), the edge reports the answering
 * Contact, and the Worker finds the session by it (docs/calls.md). The id
 * names a session without being usable as one (it is not the session token).
 * Tiny and dependency-free: the PWA's line imports it.
 */
export const SIP_DEVICE_PARAM = 'device';

const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The device id a Contact header carries, if any. */
export function sipDeviceOf(contact: string | null | undefined): string | null {
  if (!contact) return null;
  // The URI's own parameters: inside <…> when bracketed; never its headers (after ?).
  const uri = (/<([^>]*)>/.exec(contact)?.[1] ?? contact).split('?')[0] ?? '';
  for (const param of uri.split(';').slice(1)) {
    const [name, value = ''] = param.split('=', 2).map((s) => s.trim());
    if (name?.toLowerCase() === SIP_DEVICE_PARAM && DEVICE_ID.test(value)) return value;
  }
  return null;
}
