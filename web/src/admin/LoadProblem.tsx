import type { ProblemBody } from '../../../shared/problem';

/** Why a section could not be loaded, with a way to try again. */
export function LoadProblem({ what, problem, retry }: { what: string; problem: ProblemBody; retry: () => void }) {
  return (
    <div class="form-problem" role="alert">
      <p>
        {what} could not be loaded. {problem.detail ?? problem.title}
      </p>
      <button type="button" class="secondary" onClick={retry}>
        Try again
      </button>
    </div>
  );
}

/** The outcome of the last action in a section: a status to hear, or a problem to act on. */
export type Outcome = { kind: 'done'; text: string } | { kind: 'failed'; problem: ProblemBody } | null;

/** Shows an {@link Outcome}: a polite status when it worked, an alert when it did not. */
export function OutcomeNote({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  if (outcome.kind === 'done') {
    return (
      <p class="form-note" role="status">
        {outcome.text}
      </p>
    );
  }
  return (
    <div class="form-problem" role="alert">
      <p>{outcome.problem.detail ?? outcome.problem.title}</p>
    </div>
  );
}
