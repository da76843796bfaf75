import type { ProblemBody } from '../../../shared/problem';
import { formatSeconds } from './countdown';

/**
 * Why the last submit failed: the problem's detail, any field errors that
 * have no field on this form, and how long to wait when the server said so.
 */
export function FormProblem({
  problem,
  fields,
  waitSeconds = 0,
}: {
  problem: ProblemBody | null;
  fields: readonly string[];
  waitSeconds?: number;
}) {
  if (!problem) return null;
  const elsewhere = problem.errors?.filter((e) => !fields.includes(e.field)) ?? [];
  // The validation problem's own detail is written for developers ("listed in errors").
  const text =
    problem.code === 'validation_failed' && elsewhere.length === 0 ? 'Check the fields marked below.' : (problem.detail ?? problem.title);
  return (
    <>
      <div class="form-problem" role="alert">
        <p>{text}</p>
        {elsewhere.length > 0 && (
          <ul>
            {elsewhere.map((e) => (
              <li key={`${e.field}:${e.code}`}>{e.message}</li>
            ))}
          </ul>
        )}
      </div>
      {/* Outside the alert: a ticking clock must not be read out every second. */}
      {waitSeconds > 0 && <p class="muted">You can try again in {formatSeconds(waitSeconds)}.</p>}
    </>
  );
}
