/**
 * The local media edge: rtpengine, the edge agent (call events, edge/agent/),
 * Kamailio (edge/kamailio/kamailio.cfg), the voicemail service
 * (edge/voicemail/) and the simulated phone network
 * (baresip), each in its own process group,
 * logging to files, pointed at a Worker. The same code serves `npm start`
 * and the tests; production runs the same config under systemd (edge/README.md).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent } from './edge-agent';
import { type Baresip, startGateway } from './edge-baresip';
import { DEFAULT_EDGE_PORTS, type EdgePorts, type EdgeSecrets, LOCAL_SIP_DOMAIN } from './edge-config';
import { startKamailio } from './edge-kamailio';
import type { EdgeProcess } from './edge-process';
import { edgeAvailable } from './edge-requirements';
import { startRtpengine } from './edge-rtpengine';
import { writeToneWav } from './edge-tone';
import { startVoicemail } from './edge-voicemail';

export { edgeAvailable };

/** How to start the edge. */
export interface EdgeOptions {
  /** The Worker that decides routing (`/api/edge/route`). */
  workerUrl: string;
  /** The same values the Worker has (SIP_AUTH_SECRET, EDGE_API_SECRET). */
  secrets: EdgeSecrets;
  ports?: Partial<EdgePorts>;
  sipDomain?: string;
  /** Logs, the gateway's config and recordings, Kamailio's control socket. Default: a new temporary directory. */
  workDir?: string;
  /** Start the simulated phone network (default: when baresip is installed). */
  gateway?: boolean;
  /** Plain SIP over TCP on ports.tcp for test clients (default true). */
  sipTcp?: boolean;
  /** Kamailio's log level (0 warnings … 3 debug; default 2, one line per routing decision). */
  logLevel?: number;
  /** Extra Kamailio -A defines (e.g. `{ ROUTE_TIMEOUT: 2 }`). */
  kamailioDefines?: Record<string, string | number | true>;
  /** The edge agent's loopback port (call events). Default: the WebSocket port + 4 (5070 with the defaults). */
  agentPort?: number;
  /** The voicemail service's loopback health port. Default: the WebSocket port + 5 (5071). */
  voicemailPort?: number;
}

/** A running edge. */
export interface Edge {
  ports: EdgePorts;
  sipDomain: string;
  /** ws://127.0.0.1:<ws>: what EDGE_WS_URL must say. */
  wsUrl: string;
  workDir: string;
  logDir: string;
  /** For `kamcmd -s unix:<ctlSocket> ul.dump` and friends. */
  ctlSocket: string;
  /** The simulated phone network, when started. */
  gateway?: Baresip;
  /** The tone the gateway plays (Hz). */
  gatewayToneHz: number;
  /** The edge agent's port (`GET /health`: events pending, delivered). */
  agentPort: number;
  /** The voicemail service's port (`GET /health`: registered, calls, uploads). */
  voicemailPort: number;
  /** Stops the gateway, the voicemail service, Kamailio, the agent and rtpengine, in that order. */
  stop(): Promise<void>;
}

const GATEWAY_TONE_HZ = 440;

/** Starts rtpengine, then Kamailio, then (optionally) the gateway; resolves when all serve. */
export async function startEdge(options: EdgeOptions): Promise<Edge> {
  const available = edgeAvailable();
  if (!available.ok) throw new Error(`The media edge needs: apt-get install ${available.packages.join(' ')}`);
  const ports: EdgePorts = { ...DEFAULT_EDGE_PORTS, ...options.ports };
  const sipDomain = options.sipDomain ?? LOCAL_SIP_DOMAIN;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'softphone-edge-'));
  const logDir = join(workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const ctlSocket = join(workDir, 'kamailio.ctl');
  const agentPort = options.agentPort ?? ports.ws + 4;
  const voicemailPort = options.voicemailPort ?? ports.ws + 5;

  const started: EdgeProcess[] = [];
  const stop = async () => {
    for (const proc of started.splice(0).reverse()) await proc.stop();
  };
  try {
    started.push(await startRtpengine({ ports, logDir }));
    // Before Kamailio, which posts its call events to it; stopped after it (the stop is in reverse).
    started.push(
      await startAgent({
        port: agentPort,
        workerUrl: options.workerUrl,
        edgeApiSecret: options.secrets.edgeApiSecret,
        // Kept with the edge's files: a restarted edge resumes what it had not delivered.
        spoolDir: join(workDir, 'agent-spool'),
        logDir,
      }),
    );
    started.push(
      await startKamailio({
        workerUrl: options.workerUrl,
        secrets: options.secrets,
        ports,
        sipDomain,
        logDir,
        ctlSocket,
        sipTcp: options.sipTcp ?? true,
        logLevel: options.logLevel,
        defines: { AGENT_URL: `http://127.0.0.1:${agentPort}/events`, ...options.kamailioDefines },
      }),
    );
    // After Kamailio, with which it registers; stopped before it.
    started.push(
      await startVoicemail({
        port: voicemailPort,
        wsUrl: `ws://127.0.0.1:${ports.ws}`,
        sipDomain,
        workerUrl: options.workerUrl,
        sipAuthSecret: options.secrets.sipAuthSecret,
        edgeApiSecret: options.secrets.edgeApiSecret,
        workDir,
        logDir,
        // Beyond the gateway's range (and the edge tests' phone, gateway + 100).
        rtpPorts: [ports.gatewayRtpMax + 101, ports.gatewayRtpMax + 200],
      }),
    );
    let gateway: Baresip | undefined;
    if (options.gateway ?? available.gateway) {
      // What the previous run's gateway heard is of no use now.
      rmSync(join(workDir, 'gateway', 'recordings'), { recursive: true, force: true });
      const tone = join(workDir, `tone-${GATEWAY_TONE_HZ}.wav`);
      writeToneWav(tone, { hz: GATEWAY_TONE_HZ, seconds: 60 });
      gateway = await startGateway({
        dir: join(workDir, 'gateway'),
        port: ports.gateway,
        ctrlPort: ports.gatewayCtrl,
        rtpPorts: [ports.gatewayRtpMin, ports.gatewayRtpMax],
        audioFile: tone,
      });
      started.push(gateway);
    }
    return {
      ports,
      sipDomain,
      wsUrl: `ws://127.0.0.1:${ports.ws}`,
      workDir,
      logDir,
      ctlSocket,
      gateway,
      gatewayToneHz: GATEWAY_TONE_HZ,
      agentPort,
      voicemailPort,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
