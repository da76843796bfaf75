import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { PROBLEM_CONTENT_TYPE } from '../../shared/problem';
import type { AppEnv } from './context';
import { Problem, problems } from './problem';

/** Writes a problem as `application/problem+json` with the request id. */
export function problemResponse(c: Context<AppEnv>, problem: Problem): Response {
  const body = { ...problem.body(), requestId: c.get('requestId') };
  const headers: Record<string, string> = { 'Content-Type': PROBLEM_CONTENT_TYPE };
  if (problem.retryAfter !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(problem.retryAfter)));
  return new Response(JSON.stringify(body), { status: problem.status, headers });
}

/**
 * The one error handler: known problems keep their code; anything else is a
 * generic 500 and a log line. A stack trace never reaches the client.
 */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof Problem) return problemResponse(c, err);
  if (err instanceof HTTPException && err.status < 500) {
    return problemResponse(c, new Problem(err.status, 'http_error', err.message || 'Request refused'));
  }
  const log = c.get('log');
  const fields = {
    error: err instanceof Error ? err.message : String(err),
    stack: err instanceof Error ? err.stack : undefined,
    path: c.req.path,
  };
  if (log) log('error', 'unhandled error', fields);
  else console.error(JSON.stringify({ level: 'error', message: 'unhandled error', ...fields }));
  return problemResponse(c, problems.internal());
};
