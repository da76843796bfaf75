/** Structured errors (RFC 9457 problem details) shared by the Worker and the PWA. */

/** One invalid input field: where, a stable code, and words for a person. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** The body of every error response (`application/problem+json`). */
export interface ProblemBody {
  type: string;
  code: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  /** Seconds to wait before retrying (rate limits, lock-outs). */
  retryAfter?: number;
  requestId?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Type guard for a parsed response body. */
export function isProblem(value: unknown): value is ProblemBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ProblemBody).code === 'string' &&
    typeof (value as ProblemBody).status === 'number'
  );
}
