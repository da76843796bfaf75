import { useEffect, useRef, useState } from 'preact/hooks';
import type { ProblemBody } from '../../../shared/problem';
import { toProblem } from '../api/client';
import { useCountdown } from './countdown';

/**
 * A form's submit state: `run` calls the API once (a second submit while the
 * first is in flight is ignored), keeps the problem it failed with for the
 * fields and the alert, and holds the button back for a `retryAfter`.
 */
export function useForm() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemBody | null>(null);
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const running = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const waitSeconds = useCountdown(retryUntil);

  // After a failure, put the cursor in the first field that needs fixing.
  useEffect(() => {
    if (!problem?.errors?.length) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problem]);

  async function run(action: () => Promise<void>): Promise<boolean> {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setProblem(null);
    try {
      await action();
      return true;
    } catch (e) {
      const p = toProblem(e);
      setProblem(p);
      setRetryUntil(p.retryAfter ? Date.now() + p.retryAfter * 1000 : null);
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  return {
    formRef,
    busy,
    problem,
    setProblem,
    waitSeconds,
    /** The submit button's `disabled`: while sending, and while the server asked us to wait. */
    blocked: busy || waitSeconds > 0,
    run,
    /** The server's message for one field, shown next to it. */
    error: (field: string) => problem?.errors?.find((e) => e.field === field)?.message,
  };
}
