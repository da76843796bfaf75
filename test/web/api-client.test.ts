import { describe, expect, it } from 'vitest';
import { ApiError, api } from '../../web/src/api/client';
import { fakeApi, json, noContent, problem } from './support/fake-api';

describe('the API client', () => {
  it('sends JSON with the session cookie and reads JSON back', async () => {
    const fake = fakeApi({ 'POST /api/echo': (req) => json(200, { got: req.body }) });
    expect(await api.post('/api/echo', { a: 1 })).toEqual({ got: { a: 1 } });
    const [, init] = fake.fetch.mock.calls[0] ?? [];
    expect(init?.credentials).toBe('same-origin');
    expect(new Headers(init?.headers).get('Content-Type')).toBe('application/json');
  });

  it('answers undefined for 204', async () => {
    fakeApi({ 'DELETE /api/thing/:id': () => noContent() });
    expect(await api.del('/api/thing/1')).toBeUndefined();
  });

  it('throws the problem body as an ApiError', async () => {
    fakeApi({ 'GET /api/me': () => problem(429, 'rate_limited', { detail: 'Slow down.', retryAfter: 30 }) });
    const error = await api.get('/api/me').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem).toMatchObject({ code: 'rate_limited', status: 429, detail: 'Slow down.', retryAfter: 30 });
    expect((error as ApiError).network).toBe(false);
  });

  it('turns a response that is not a problem into one', async () => {
    fakeApi({ 'GET /api/x': () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }) });
    const error = (await api.get('/api/x').catch((e: unknown) => e)) as ApiError;
    expect(error.problem).toMatchObject({ code: 'http_error', status: 502 });
  });

  it('reports a network failure in words, and never retries a POST', async () => {
    const fake = fakeApi({ 'POST /api/auth/signin': () => Promise.reject(new TypeError('Failed to fetch')) });
    const error = (await api.post('/api/auth/signin', {}).catch((e: unknown) => e)) as ApiError;
    expect(error.network).toBe(true);
    expect(error.problem.detail).toMatch(/Check your connection/);
    expect(fake.fetch).toHaveBeenCalledTimes(1);
  });
});
