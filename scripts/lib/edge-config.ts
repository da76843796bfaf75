/** Ports, names and defaults of the local media edge, shared by `npm start`, the tests and the docs. */
import { fileURLToPath } from 'node:url';

/** Where the edge's configuration files live in the repository. */
export const EDGE_DIR = fileURLToPath(new URL('../../edge/', import.meta.url));

/** The SIP domain of every user's URI locally (`sip:<userId>@softphone.local`); the Worker's SIP_DOMAIN var matches. */
export const LOCAL_SIP_DOMAIN = 'softphone.local';

/** Every port the edge uses, all on 127.0.0.1. */
export interface EdgePorts {
  /** SIP over WebSocket (browsers). */
  ws: number;
  /** SIP over UDP toward the phone-network gateway. */
  udp: number;
  /** Plain SIP over TCP for test clients. */
  tcp: number;
  /** rtpengine's ng control port (UDP). */
  rtpengineNg: number;
  /** rtpengine's media port range (inclusive). */
  rtpMin: number;
  rtpMax: number;
  /** The simulated phone network (baresip), SIP over UDP. */
  gateway: number;
  /** baresip's ctrl_tcp (never SIP port + 1: baresip takes that for SIP over TCP). */
  gatewayCtrl: number;
  /** The gateway's RTP range. */
  gatewayRtpMin: number;
  gatewayRtpMax: number;
}

/**
 * The ports `npm start` uses; tests pass their own so that they never collide
 * with a running app. Media ranges stay below Linux's ephemeral ports
 * (32768+) and outside Debian's system rtpengine (ng 2223, media
 * 30000–40000), which the package may start as a service.
 */
export const DEFAULT_EDGE_PORTS: EdgePorts = {
  ws: 5066,
  udp: 5080,
  tcp: 5067,
  rtpengineNg: 2225,
  rtpMin: 20000,
  rtpMax: 20199,
  gateway: 5090,
  gatewayCtrl: 5095,
  gatewayRtpMin: 20200,
  gatewayRtpMax: 20299,
};

/** The two secrets Kamailio and the Worker share. */
export interface EdgeSecrets {
  /** auth_ephemeral: the Worker mints SIP credentials with it, Kamailio checks them. */
  sipAuthSecret: string;
  /** Bearer token on Kamailio's calls to the Worker (`/api/edge/route`). */
  edgeApiSecret: string;
}

/**
 * The subscribers of the simulated phone network (Ofcom's Manchester range for
 * drama, 0161 496 0000–0009: valid numbers, never a real phone). baresip 1.0
 * answers only request URIs that match one of its accounts, so these are the
 * numbers that answer locally; any other external number gets 404 from it.
 * The first one is the caller ID of calls the simulated network places.
 */
export const SIMULATED_NUMBERS = Array.from({ length: 10 }, (_, i) => `+44161496000${i}`);
