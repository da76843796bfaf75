import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

/** A screen: its heading and the document title follow one prop. */
export function Screen({ title, children }: { title: string; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Softphone`;
  }, [title]);
  return (
    <section class="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">{title}</h1>
      {children}
    </section>
  );
}

/** What a list shows before it has anything in it. */
export function EmptyState({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}
