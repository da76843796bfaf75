/**
 * The contacts API calls the sync engine makes. Like `api/client.ts`, but
 * with the headers a write needs (`Idempotency-Key`, `If-Match`) and PUT;
 * failures are the same `ApiError`, so screens show them the same way.
 */
import type { ProblemBody } from '../../../shared/problem';
import { isProblem } from '../../../shared/problem';
import { ApiError, networkProblem } from '../api/client';

const TIMEOUT_MS = 20_000;

/** A body already serialised (an import serialises its next batch while the current one travels). */
export class JsonText {
  constructor(readonly text: string) {}
}

/** Sends one request; JSON in and out. */
export async function contactsRequest<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json, application/problem+json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : body instanceof JsonText ? body.text : JSON.stringify(body),
      credentials: 'same-origin',
      signal: 'timeout' in AbortSignal ? AbortSignal.timeout(TIMEOUT_MS) : undefined,
    });
  } catch (e) {
    throw new ApiError(networkProblem(e instanceof DOMException && e.name === 'TimeoutError'), true);
  }
  if (res.status === 204) return undefined as T;
  const parsed: unknown = await res.json().catch(() => undefined);
  if (res.ok) return parsed as T;
  const problem: ProblemBody = isProblem(parsed)
    ? parsed
    : {
        type: 'about:blank',
        code: 'http_error',
        title: 'Something went wrong',
        status: res.status,
        detail: `Softphone answered ${res.status}.`,
      };
  throw new ApiError(problem);
}
