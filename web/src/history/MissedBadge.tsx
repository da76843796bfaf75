import { unseenMissed } from './missed-badge';

/** The count of unseen missed calls on the History link; nothing when there are none. */
export function MissedBadge() {
  const count = unseenMissed.value;
  if (count <= 0) return null;
  return (
    <span class="nav-badge" data-count={count}>
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <span class="visually-hidden">{`, ${count} missed ${count === 1 ? 'call' : 'calls'}`}</span>
    </span>
  );
}
