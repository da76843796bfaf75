/**
 * A second voicemail service with shortened limits (silence, length), for
 * tests where the service itself must end a message, with a Kamailio of its
 * own in front: the same kamailio.cfg on ports of its own, sharing the test
 * edge's rtpengine, edge agent and Worker.
 *
 * Why not the shared edge: its service runs with the real limits (8 s of
 * silence, 180 s) for every other test, and a second service registered
 * there as `voicemail` would not take over: Kamailio forks a call to every
 * contact of the user (`append_branches`), so both services would answer.
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EdgeProcess } from '../../../scripts/lib/edge-process';
import { startVoicemail } from '../../../scripts/lib/edge-voicemail';
import { freePorts } from '../../../scripts/lib/ports';
import { edge } from './edge-context';
import { edgeSecrets, startSideKamailio } from './side-kamailio';

/** The service's media ports: beside the shared edge's ranges (21000–21499). */
const RTP_PORTS: [number, number] = [21600, 21699];

/** A running Kamailio and voicemail service pair. */
export interface LimitedVoicemail {
  /** Where callers reach it (SIP over WebSocket). */
  wsUrl: string;
  /** The service's log lines (JSON) that mention `callId`. */
  logFor(callId: string): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Starts Kamailio, then the service (it must register); resolves once it is registered. */
export async function startLimitedVoicemail(limits: { silenceSeconds: number; maxMessageSeconds: number }): Promise<LimitedVoicemail> {
  const workDir = await mkdtemp(join(tmpdir(), 'softphone-vm-limits-'));
  const [ws, udp, health] = (await freePorts(3)) as [number, number, number];
  const started: EdgeProcess[] = [];
  const stop = async () => {
    // The service first (it unregisters), then Kamailio.
    for (const proc of started.splice(0).reverse()) await proc.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    started.push((await startSideKamailio({ ws, udp, dir: workDir })).process);
    const service = await startVoicemail({
      port: health,
      wsUrl: `ws://127.0.0.1:${ws}`,
      sipDomain: edge.sipDomain,
      workerUrl: edge.appUrl,
      ...edgeSecrets,
      workDir,
      logDir: workDir,
      rtpPorts: RTP_PORTS,
      limits,
    });
    started.push(service);
    return {
      wsUrl: `ws://127.0.0.1:${ws}`,
      logFor: (callId) =>
        readFileSync(service.log, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('{') && line.includes(callId))
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
