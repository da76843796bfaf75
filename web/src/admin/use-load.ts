import { useEffect, useState } from 'preact/hooks';
import type { ProblemBody } from '../../../shared/problem';
import { api, toProblem } from '../api/client';
import { adminChanges } from './changes';

export type Loaded<T> = { kind: 'loading' } | { kind: 'ready'; data: T } | { kind: 'failed'; problem: ProblemBody };

/**
 * GETs `path` and again whenever it changes, after any change on the admin
 * page, or on `retry`. A reload keeps the data on show (no flash of
 * "Loading…"); a failure replaces it with the problem.
 */
export function useLoad<T>(path: string): { state: Loaded<T>; retry: () => void } {
  const [state, setState] = useState<Loaded<T>>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const version = adminChanges.value;

  useEffect(() => {
    let live = true;
    api.get<T>(path).then(
      (data) => live && setState({ kind: 'ready', data }),
      (e) => live && setState({ kind: 'failed', problem: toProblem(e) }),
    );
    return () => {
      live = false;
    };
  }, [path, version, attempt]);

  return { state, retry: () => setAttempt((a) => a + 1) };
}
