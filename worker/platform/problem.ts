import type { z } from 'zod';
import type { FieldError, ProblemBody } from '../../shared/problem';

/**
 * A known failure that becomes a structured problem response. Throw it from
 * any route; the one error handler turns it into `application/problem+json`.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    /** Seconds before trying again makes sense (429, 503): sent as Retry-After too. */
    readonly retryAfter?: number,
  ) {
    super(`${code}: ${detail ?? title}`);
  }

  /** The response body, without the request id (added by the handler). */
  body(): Omit<ProblemBody, 'requestId'> {
    return {
      type: `https://softphone.invalid/problems/${this.code}`,
      code: this.code,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
    };
  }
}

/** Turns a zod failure into one field error per issue, with dotted paths. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    code: issue.code,
    message: issue.message,
  }));
}

export const problems = {
  validation: (errors: FieldError[]) =>
    new Problem(422, 'validation_failed', 'Some fields are not valid', 'Correct the fields listed in errors.', errors),
  badJson: () => new Problem(400, 'malformed_json', 'The request body is not valid JSON'),
  notFound: (what = 'resource') => new Problem(404, 'not_found', 'Not found', `No such ${what}.`),
  methodNotAllowed: () => new Problem(405, 'method_not_allowed', 'Method not allowed'),
  unauthenticated: () => new Problem(401, 'not_signed_in', 'Sign in to continue', 'Your session has ended or you are not signed in.'),
  forbidden: (detail = 'Your role does not allow this.') => new Problem(403, 'forbidden', 'Not allowed', detail),
  rateLimited: (retryAfter: number, detail = 'Too many attempts. Try again later.') =>
    new Problem(429, 'rate_limited', 'Too many attempts', detail, undefined, retryAfter),
  internal: () => new Problem(500, 'internal_error', 'Something went wrong', 'The error was logged; try again.'),
};
