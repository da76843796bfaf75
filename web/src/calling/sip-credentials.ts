import { api } from '../api/client';

/** `POST /api/sip/credentials`: short-lived credentials the media edge checks (auth_ephemeral). */
export interface SipCredentials {
  username: string;
  password: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  uri: string;
  wsUrl: string;
  iceServers: RTCIceServer[];
  realm?: string;
  /** This device's public id, for the SIP Contact (shared/sip-device.ts); null for a session without one. */
  deviceId?: string | null;
}

/** Fetches fresh credentials; never stored anywhere but in memory. */
export function fetchSipCredentials(): Promise<SipCredentials> {
  return api.post<SipCredentials>('/api/sip/credentials', {});
}

/** When to renew: at 80 % of the credentials' life, never later than a minute before they expire. */
export function renewAt(credentials: SipCredentials, now = Date.now()): number {
  const life = credentials.expiresAt - now;
  return now + Math.max(0, Math.min(life * 0.8, life - 60_000));
}
