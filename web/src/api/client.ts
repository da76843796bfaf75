import type { ProblemBody } from '../../../shared/problem';
import { isProblem } from '../../../shared/problem';

/** How long a request may take before we give up and say so (a phone on a bad signal). */
const TIMEOUT_MS = 20_000;

/**
 * A failed API call, carrying the problem body the Worker sent (or one made
 * up here for a network failure or an unexpected response), so a screen can
 * show `detail` and each field's error the same way whatever went wrong.
 */
export class ApiError extends Error {
  constructor(
    readonly problem: ProblemBody,
    /** True when no response arrived at all (offline, timed out, DNS, TLS). */
    readonly network = false,
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string {
    return this.problem.code;
  }
}

/** The problem of a request that never got an answer. */
export function networkProblem(timedOut: boolean): ProblemBody {
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  return {
    type: 'about:blank',
    code: timedOut ? 'timeout' : 'network_error',
    title: offline ? 'You are offline' : 'No connection to Softphone',
    status: 0,
    detail: offline
      ? 'You are offline. Check your connection and try again.'
      : timedOut
        ? 'Softphone took too long to answer. Check your connection and try again.'
        : 'Softphone could not be reached. Check your connection and try again.',
  };
}

/** `startedAt` is the request's `performance.now()`, so an answer that predates a sign-in can be ignored. */
type Unauthorized = (problem: ProblemBody, startedAt: number) => void;
let onUnauthorized: Unauthorized | undefined;

/** Called when any request answers 401 `not_signed_in` (the session ended elsewhere). */
export function setUnauthorizedHandler(handler: Unauthorized | undefined): void {
  onUnauthorized = handler;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const startedAt = performance.now();
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    // One attempt only: a POST that timed out may still have happened on the server.
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: 'timeout' in AbortSignal ? AbortSignal.timeout(TIMEOUT_MS) : undefined,
    });
  } catch (e) {
    throw new ApiError(networkProblem(e instanceof DOMException && e.name === 'TimeoutError'), true);
  }
  if (res.status === 204 || res.status === 205) return undefined as T;
  const parsed: unknown = await res.json().catch(() => undefined);
  if (res.ok) return parsed as T;
  const problem: ProblemBody = isProblem(parsed)
    ? parsed
    : {
        type: 'about:blank',
        code: 'http_error',
        title: 'Something went wrong',
        status: res.status,
        detail: `Softphone answered with an error (${res.status}). Try again in a moment.`,
      };
  if (problem.status === 401 && problem.code === 'not_signed_in') onUnauthorized?.(problem, startedAt);
  throw new ApiError(problem);
}

/** The API, same origin, JSON in and out; failures throw {@link ApiError}. */
export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T = void>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

/** Any thrown value as a problem a form can show. */
export function toProblem(error: unknown): ProblemBody {
  if (error instanceof ApiError) return error.problem;
  return {
    type: 'about:blank',
    code: 'client_error',
    title: 'Something went wrong',
    status: 0,
    detail: 'Something went wrong on this device. Reload the page and try again.',
  };
}
