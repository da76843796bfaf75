import { vi } from 'vitest';
import type { Me } from '../../../shared/auth-api';
import type { ProblemBody } from '../../../shared/problem';

/** One request the app made, as the fake server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

type Handler = (req: SeenRequest, params: Record<string, string>) => Response | Promise<Response>;

/** A JSON response, as the Worker would send it. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** An `application/problem+json` response. */
export function problem(status: number, code: string, extra: Partial<ProblemBody> = {}): Response {
  const body: ProblemBody = { type: `https://softphone.invalid/problems/${code}`, code, title: code.replace(/_/g, ' '), status, ...extra };
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** `GET /api/me` for nobody signed in. */
export const notSignedIn = () =>
  problem(401, 'not_signed_in', { title: 'Sign in to continue', detail: 'Your session has ended or you are not signed in.' });

/** A signed-in user; `role` and anything else can be changed. */
export function aMe(overrides: { role?: 'user' | 'admin'; user?: Partial<Me['user']> } & Partial<Omit<Me, 'user'>> = {}): Me {
  const { role = 'user', user, ...rest } = overrides;
  return {
    user: { id: 'u1', name: 'Ada Lovelace', email: 'ada@example.com', mobile: '+447700900123', role, hasPassword: true, ...user },
    business: {
      id: 'b1',
      name: 'Analytical Engines Ltd',
      country: 'GB',
      plan: 'licensed',
      status: 'trial',
      trialEndsAt: Date.UTC(2030, 0, 31),
      ...rest.business,
    },
    number: { e164: '+442071838750', kind: 'pool' },
    overrideNumber: null,
    notice: null,
    ...rest,
  };
}

/**
 * Stubs `fetch` with a tiny router: `'METHOD /path/:param'` → handler.
 * Anything unrouted answers a 404 problem, as the Worker would.
 */
export function fakeApi(routes: Record<string, Handler>) {
  const seen: SeenRequest[] = [];
  const table = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern = ''] = key.split(' ');
    const names: string[] = [];
    const source = pattern.replace(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { method, regex: new RegExp(`^${source}$`), names, handler };
  });
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), location.origin);
    const req: SeenRequest = {
      method: init.method ?? 'GET',
      path: url.pathname,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      credentials: init.credentials,
    };
    seen.push(req);
    for (const route of table) {
      const m = route.method === req.method ? route.regex.exec(url.pathname) : null;
      if (!m) continue;
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]));
      return route.handler(req, params);
    }
    return problem(404, 'not_found', { detail: `No such route: ${req.method} ${req.path}` });
  });
  vi.stubGlobal('fetch', fetch);
  return {
    fetch,
    seen,
    /** The requests made to one route, e.g. `'POST /api/auth/signin'`. */
    calls: (key: string) => seen.filter((r) => `${r.method} ${r.path}` === key),
  };
}
