import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json';

describe('GET /api/health', () => {
  it('reports the version and a reachable D1', async () => {
    const res = await SELF.fetch('https://app.test/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', version: pkg.version, checks: { d1: 'ok' } });
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('carries a request id and the security headers', async () => {
    const a = await SELF.fetch('https://app.test/api/health');
    const b = await SELF.fetch('https://app.test/api/health');
    const id = a.headers.get('X-Request-Id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers.get('X-Request-Id')).not.toBe(id);

    const csp = a.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // The local edge is on loopback: any port (a test edge runs beside a developer's).
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:*");
    expect(a.headers.get('Strict-Transport-Security')).toMatch(/max-age=\d+/);
    expect(a.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const permissions = a.headers.get('Permissions-Policy') ?? '';
    expect(permissions).toContain('microphone=(self)');
    expect(permissions).toContain('camera=()');
  });
});
