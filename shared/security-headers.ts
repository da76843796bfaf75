/**
 * The security headers of every response, in one place: the Worker adds them
 * to API responses and the PWA build writes them into the static assets'
 * `_headers` file, so that the page and the API can never disagree.
 */

export interface SecurityHeaderOptions {
  /** The media edge's SIP-over-WebSocket URL (ws:// locally, wss:// deployed). */
  edgeWsUrl: string;
}

/** Content-Security-Policy for the PWA: own origin only, plus the media edge's WebSocket. */
export function contentSecurityPolicy({ edgeWsUrl }: SecurityHeaderOptions): string {
  const edge = new URL(edgeWsUrl);
  // A loopback edge (development, tests) may listen on any port: the tests run
  // their own edge beside a developer's. A deployed edge is allowed exactly.
  const loopback = edge.hostname === '127.0.0.1' || edge.hostname === 'localhost';
  const edgeOrigin = loopback ? `${edge.protocol}//${edge.hostname}:*` : `${edge.protocol}//${edge.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    // Voicemail, greetings and recordings play from the API or from blobs.
    "media-src 'self' blob:",
    // 'self' covers /api and /api/live (same origin); the edge is the SIP transport.
    `connect-src 'self' ${edgeOrigin}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Every security header, as name → value. */
export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options),
    'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // A phone needs the microphone, speaker choice and autoplay of the ringtone; nothing else.
    'Permissions-Policy': [
      'microphone=(self)',
      'speaker-selection=(self)',
      'autoplay=(self)',
      'camera=()',
      'geolocation=()',
      'payment=()',
      'usb=()',
      'serial=()',
      'bluetooth=()',
      'midi=()',
      'magnetometer=()',
      'gyroscope=()',
      'accelerometer=()',
      'display-capture=()',
      'browsing-topics=()',
    ].join(', '),
  };
}
