import { Hono } from 'hono';
import { featureOff } from '../admin/licences';
import { currentSessionWithCalling } from '../auth/sessions';
import type { AppEnv } from '../platform/context';
import { Problem, problems } from '../platform/problem';
import { mintSipCredentials } from './credentials';
import { type IceServer, iceServers } from './ice-servers';

/** What the PWA needs to register SIP.js with the media edge. */
export interface SipCredentials {
  /** auth_ephemeral username: `<expiry-unix-seconds>:<userId>`. */
  username: string;
  password: string;
  /** When they stop working (ms since the epoch): fetch new ones before. */
  expiresAt: number;
  /** The user's SIP address of record: `sip:<userId>@<SIP_DOMAIN>`. */
  uri: string;
  /** The edge's SIP-over-WebSocket URL. */
  wsUrl: string;
  iceServers: IceServer[];
  /** The digest realm the edge challenges with (the SIP domain). */
  realm: string;
  /**
   * This signed-in device's public id (not its session token), for the SIP
   * Contact's `device` parameter (`shared/sip-device.ts`): call records name
   * the device that answered by it. Null for a session without one.
   */
  deviceId: string | null;
}

/**
 * Short-lived SIP credentials for the signed-in user. Like `requireSession`,
 * only active users of active or trial businesses get through, so a suspended
 * user gets none (and the edge refuses their registrations and calls even with
 * old ones: worker/edge/registration-decision.ts, route-decision.ts). The
 * session and the seat's calling are read in one query: every app open waits
 * on this route before it can register.
 */
export const sipCredentialRoutes = new Hono<AppEnv>().post('/credentials', async (c) => {
  const session = await currentSessionWithCalling(c);
  if (!session) throw problems.unauthenticated();
  const { calling, deviceId, ...auth } = session;
  c.set('auth', auth);
  const { SIP_AUTH_SECRET: secret, SIP_DOMAIN: domain, EDGE_WS_URL: wsUrl } = c.env;
  if (!secret || !domain) throw new Problem(503, 'edge_not_configured', 'Calling is not set up', 'The media edge is not configured.');
  // A seat without calling gets no phone line (the edge refuses its calls too).
  if (!calling) throw featureOff('calling');
  const credentials = await mintSipCredentials(secret, auth.userId);
  const body: SipCredentials = {
    ...credentials,
    uri: `sip:${auth.userId}@${domain}`,
    wsUrl,
    iceServers: iceServers(c.env.ICE_SERVERS, (message) => c.get('log')('error', message)),
    realm: domain,
    deviceId,
  };
  c.header('Cache-Control', 'no-store');
  return c.json(body);
});
