import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../shared/security-headers';

describe('the Content-Security-Policy', () => {
  it('allows a deployed edge exactly, and nothing else to connect', () => {
    const csp = contentSecurityPolicy({ edgeWsUrl: 'wss://edge.example.com:7443/ws' });
    expect(csp).toContain("connect-src 'self' wss://edge.example.com:7443;");
    expect(csp).not.toContain('*');
  });

  it('allows any port of a loopback edge only', () => {
    expect(contentSecurityPolicy({ edgeWsUrl: 'ws://127.0.0.1:5066' })).toContain("connect-src 'self' ws://127.0.0.1:*;");
    expect(contentSecurityPolicy({ edgeWsUrl: 'ws://localhost:5066' })).toContain("connect-src 'self' ws://localhost:*;");
  });
});
