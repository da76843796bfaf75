import { isProblem, type ProblemBody } from '../../../shared/problem';
import { ApiError, networkProblem } from '../api/client';
import { loadMe } from '../auth/session';

/**
 * `PUT` with the same conventions as the shared API client (which has no
 * `put` yet): same-origin cookie, a timeout, problems as {@link ApiError},
 * and a 401 makes the app check who is signed in.
 */
export async function putJson<T>(path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'PUT',
      headers: { Accept: 'application/json, application/problem+json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      signal: 'timeout' in AbortSignal ? AbortSignal.timeout(20_000) : undefined,
    });
  } catch (e) {
    throw new ApiError(networkProblem(e instanceof DOMException && e.name === 'TimeoutError'), true);
  }
  const parsed: unknown = await res.json().catch(() => undefined);
  if (res.ok) return parsed as T;
  const problem: ProblemBody = isProblem(parsed)
    ? parsed
    : { type: 'about:blank', code: 'http_error', title: 'Something went wrong', status: res.status };
  if (res.status === 401) void loadMe();
  throw new ApiError(problem);
}
