/**
 * Reconnect delays: exponential with full jitter (so a restarted edge is not
 * hit by every phone at once), capped, and slower while the tab is hidden.
 */
export function backoffDelay(
  attempt: number,
  options: { baseMs?: number; maxMs?: number; hidden?: boolean; random?: () => number } = {},
): number {
  const { baseMs = 500, maxMs = 30_000, hidden = false, random = Math.random } = options;
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  const delay = cap / 2 + random() * (cap / 2);
  return hidden ? Math.min(maxMs * 2, delay * 2) : delay;
}
