/** A new call record id: `call_` and 128 random bits (base64url), never derived from the edge's Call-ID. */
export function newCallRecordId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `call_${btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')}`;
}
