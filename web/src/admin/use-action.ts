import { useRef, useState } from 'preact/hooks';
import { toProblem } from '../api/client';
import { changed } from './changes';
import type { Outcome } from './LoadProblem';

/**
 * One admin action at a time in a section: `run` calls the API (a second
 * click while one is in flight is ignored), then says what happened and has
 * every section list again. `busy` names the action in flight, for its button.
 */
export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const running = useRef(false);

  async function run(key: string, action: () => Promise<unknown>, doneText: string): Promise<boolean> {
    if (running.current) return false;
    running.current = true;
    setBusy(key);
    setOutcome(null);
    try {
      await action();
      setOutcome({ kind: 'done', text: doneText });
      return true;
    } catch (e) {
      setOutcome({ kind: 'failed', problem: toProblem(e) });
      return false;
    } finally {
      running.current = false;
      setBusy(null);
      // After a failure too: a 409 usually means the list is out of date.
      changed();
    }
  }

  return { busy, outcome, setOutcome, run };
}
