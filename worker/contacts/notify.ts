import type { Context } from 'hono';
import { publishLiveEvent } from '../live/publish';
import type { AppEnv } from '../platform/context';

/**
 * Tells the user's other devices (through the business's LiveHub) that
 * their contacts changed, after the response: a hint to pull, not the data.
 * A lost hint costs only time: devices also pull every minute.
 */
export function notifyContactsChanged(c: Context<AppEnv>): void {
  const { businessId, userId } = c.get('auth');
  const sent = publishLiveEvent(c.env, businessId, { kind: 'contacts_changed' }, { userId }).catch((err: unknown) => {
    c.get('log')('warn', 'contacts_changed not published', { error: String(err) });
  });
  c.executionCtx.waitUntil(sent);
}
