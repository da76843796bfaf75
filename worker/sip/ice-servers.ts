import { z } from 'zod';

const iceServer = z.object({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

/** An RTCIceServer as the browser's RTCPeerConnection takes it. */
export type IceServer = z.infer<typeof iceServer>;

/**
 * The ICE servers from the ICE_SERVERS var (a JSON array of RTCIceServer).
 * Empty locally: on loopback no STUN is needed, and SIP.js's default public
 * STUN server is unreachable here. A malformed value is a configuration
 * error: it is logged and no servers are offered rather than failing calls.
 */
export function iceServers(raw: string | undefined, onError: (message: string) => void = () => {}): IceServer[] {
  if (!raw?.trim()) return [];
  try {
    return z.array(iceServer).parse(JSON.parse(raw));
  } catch (err) {
    onError(`ICE_SERVERS is not a JSON array of ice servers: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
}
