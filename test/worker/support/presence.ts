import { env } from 'cloudflare:workers';

/**
 * A user's presence state as their business's hub holds it, polling until it
 * is `expected` (the hub is told after the edge's delivery is answered);
 * after `tries` polls `everyMs` apart, the last state seen.
 */
export async function presenceStateOf(
  businessId: string,
  userId: string,
  expected: string,
  { tries = 40, everyMs = 25 }: { tries?: number; everyMs?: number } = {},
): Promise<string> {
  const hub = env.LIVE_HUB.getByName(businessId);
  let state = '';
  for (let i = 0; i < tries; i++) {
    state = (await hub.presence(userId)).state;
    if (state === expected) return state;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return state;
}
