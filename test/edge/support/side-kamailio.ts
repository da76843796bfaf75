/**
 * A second Kamailio beside the test edge, for tests that need one configured
 * differently (a TLS listener, a voicemail service of their own): the same
 * kamailio.cfg on ws/udp ports of its own, with the shared edge's secrets,
 * Worker, edge agent, rtpengine and gateway address.
 */
import { join } from 'node:path';
import type { EdgeSecrets } from '../../../scripts/lib/edge-config';
import { startKamailio, type WssListener } from '../../../scripts/lib/edge-kamailio';
import type { EdgeProcess } from '../../../scripts/lib/edge-process';
import { edge } from './edge-context';
import { agentPort } from './records';

/** The shared edge's secrets: to the Worker, a side Kamailio (and what sits behind it) is the same edge. */
export const edgeSecrets: EdgeSecrets = { sipAuthSecret: edge.sipAuthSecret, edgeApiSecret: edge.edgeApiSecret };

/** A running side Kamailio. */
export interface SideKamailio {
  process: EdgeProcess;
  /** Its control socket path (for `kamcmd -s unix:<path>`). */
  ctlSocket: string;
}

/** Starts a Kamailio on `ws` and `udp` (see freePorts), logging and keeping its control socket in `dir`. */
export async function startSideKamailio(options: { ws: number; udp: number; dir: string; wss?: WssListener }): Promise<SideKamailio> {
  const ctlSocket = join(options.dir, 'kamailio.ctl');
  const process = await startKamailio({
    // The Worker itself (not the route tap): these calls are nobody else's business.
    workerUrl: edge.appUrl,
    secrets: edgeSecrets,
    // rtpengine and the gateway's address stay the shared edge's.
    ports: { ...edge.ports, ws: options.ws, udp: options.udp },
    sipDomain: edge.sipDomain,
    logDir: options.dir,
    ctlSocket,
    ...(options.wss ? { wss: options.wss } : {}),
    defines: { AGENT_URL: `http://127.0.0.1:${agentPort}/events` },
  });
  return { process, ctlSocket };
}
