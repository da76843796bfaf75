import type { ComponentChildren } from 'preact';
import { featureOff } from '../admin/my-features';
import { registration } from '../calling/line';
import { dial } from '../calling/phone';

/** The dialer with `target` in the box (the dialer reads `?dial=`, also after it is open). */
function dialHref(target: string): string {
  return `/?dial=${encodeURIComponent(target)}`;
}

/**
 * One tap calls `target` (a number, an extension or a user id), from
 * wherever the person is: the call screen opens over it. Still a link to
 * the dialer with `target` filled in, which is where a tap goes while the
 * line is not ready (it says why and keeps the number), and what a
 * middle-click or a long press opens. Nothing while the seat has no calling.
 */
export function CallLink({
  target,
  label,
  class: className,
  children,
}: {
  target: string;
  /** What screen readers say ("Call Grace Hopper"). */
  label: string;
  class?: string;
  children: ComponentChildren;
}) {
  if (featureOff('calling')) return null;
  return (
    <a
      class={className}
      href={dialHref(target)}
      aria-label={label}
      onClick={(event) => {
        // A modified click is the browser's (new tab, new window); the router ignores those too.
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
        if (registration.value !== 'ready') return;
        event.preventDefault();
        // The router listens on the window for link clicks: this one is not a navigation.
        event.stopPropagation();
        void dial(target);
      }}
    >
      {children}
    </a>
  );
}
