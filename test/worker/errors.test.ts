import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppEnv } from '../../worker/platform/context';
import { onError } from '../../worker/platform/errors';
import { requestId, secureHeaders } from '../../worker/platform/middleware';
import { Problem } from '../../worker/platform/problem';
import { jsonBody } from '../../worker/platform/validate';

/** A small app wired exactly like the real one, with routes that fail in each way. */
function appUnderTest() {
  const app = new Hono<AppEnv>();
  app.use('*', requestId, secureHeaders);
  app.onError(onError);
  app.get('/boom', () => {
    throw new Error('database password is hunter2 at line 12');
  });
  app.get('/known', () => {
    throw new Problem(409, 'already_exists', 'Already exists', 'A thing with that name exists.');
  });
  app.post('/things', async (c) => {
    const body = await jsonBody(c, z.object({ name: z.string().min(1), count: z.number().int().positive() }));
    return c.json(body, 201);
  });
  return app;
}

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

describe('the one error handler', () => {
  it('answers unknown API paths with a problem, not the SPA', async () => {
    const res = await SELF.fetch('https://app.test/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const body = await res.json();
    expect(body).toMatchObject({ code: 'not_found', status: 404, title: 'Not found' });
    expect((body as { requestId: string }).requestId).toBe(res.headers.get('X-Request-Id'));
  });

  it('turns an unexpected error into a generic 500 without a stack trace or message', async () => {
    const res = await appUnderTest().request('/boom', {}, env, ctx);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'internal_error', status: 500 });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('at ');
    expect(res.headers.get('X-Request-Id')).toBeTruthy();
  });

  it('keeps the code of a known problem', async () => {
    const res = await appUnderTest().request('/known', {}, env, ctx);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'already_exists', detail: 'A thing with that name exists.' });
  });

  it('lists every invalid field', async () => {
    const res = await appUnderTest().request(
      '/things',
      { method: 'POST', body: JSON.stringify({ name: '', count: -1 }), headers: { 'Content-Type': 'application/json' } },
      env,
      ctx,
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as { code: string; errors: Array<{ field: string; code: string }> };
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e) => e.field).sort()).toEqual(['count', 'name']);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await appUnderTest().request(
      '/things',
      { method: 'POST', body: '{nope', headers: { 'Content-Type': 'application/json' } },
      env,
      ctx,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'malformed_json' });
  });
});
