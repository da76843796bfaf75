import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

/** Puts the cursor in a form's first field when it appears (a new step of a flow the user moved on to). */
export function useFocusFirstField(formRef: RefObject<HTMLFormElement>): void {
  useEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>('input:not([type="hidden"]):not([readonly])')?.focus();
  }, []);
}
