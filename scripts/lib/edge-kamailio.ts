/**
 * Kamailio in the foreground with edge/kamailio/kamailio.cfg: settings as -A
 * defines, secrets only in its environment (argv is visible to `ps`).
 */
import { join } from 'node:path';
import { EDGE_DIR, type EdgePorts, type EdgeSecrets } from './edge-config';
import { type EdgeProcess, startLogged, startWhenPortFree, tcpAccepts, waitUntilReady } from './edge-process';

/** What Kamailio is started with. */
export interface KamailioOptions {
  workerUrl: string;
  secrets: EdgeSecrets;
  ports: EdgePorts;
  sipDomain: string;
  logDir: string;
  /** Kamailio's control socket path (for `kamcmd -s unix:<path>`). */
  ctlSocket: string;
  /** Plain SIP over TCP on ports.tcp as well (test clients). */
  sipTcp?: boolean;
  /** SIP over secure WebSocket (wss://) as well, as browsers reach a deployed edge. */
  wss?: WssListener;
  /** Kamailio's levels: 0 warnings, 1 notices, 2 info (default: each routing decision), 3 debug. */
  logLevel?: number;
  /** Extra -A defines, e.g. `{ ROUTE_TIMEOUT: 2 }` (strings are quoted for Kamailio). */
  defines?: Record<string, string | number | true>;
}

/** The TLS listener for wss:// and its certificate (`WITH_WSS` in kamailio.cfg). */
export interface WssListener {
  port: number;
  /** PEM files: the certificate (with its chain) and its unencrypted private key. */
  certificate: string;
  privateKey: string;
}

const quoted = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/** The -A arguments for a set of defines (`NAME`, `NAME=42`, `NAME="text"`). */
export function kamailioDefines(defines: Record<string, string | number | true>): string[] {
  return Object.entries(defines).flatMap(([name, value]) => [
    '-A',
    value === true ? name : typeof value === 'number' ? `${name}=${value}` : `${name}=${quoted(value)}`,
  ]);
}

/**
 * Starts Kamailio and resolves once its WebSocket listeners accept a TCP
 * connection: stopping it earlier (within ~0.1 s of start) can hang a worker.
 */
export async function startKamailio(options: KamailioOptions): Promise<EdgeProcess> {
  const { ports } = options;
  const defines: Record<string, string | number | true> = {
    SIP_DOMAIN: options.sipDomain,
    WORKER_URL: options.workerUrl,
    WS_PORT: ports.ws,
    UDP_PORT: ports.udp,
    TCP_PORT: ports.tcp,
    GATEWAY_PORT: ports.gateway,
    RTPENGINE_NG: `udp:127.0.0.1:${ports.rtpengineNg}`,
    CTL_SOCKET: `unix:${options.ctlSocket}`,
    LOG_LEVEL: options.logLevel ?? 2,
    ...(options.sipTcp ? { WITH_SIP_TCP: true as const } : {}),
    ...(options.wss
      ? { WITH_WSS: true as const, WSS_PORT: options.wss.port, TLS_CERT: options.wss.certificate, TLS_KEY: options.wss.privateKey }
      : {}),
    ...options.defines,
  };
  return startWhenPortFree(async () => {
    const proc = startLogged(
      'kamailio',
      '/usr/sbin/kamailio',
      [
        '-DD',
        '-E',
        // Runtime files (none expected) stay out of /run.
        '-Y',
        options.logDir,
        '-f',
        join(EDGE_DIR, 'kamailio', 'kamailio.cfg'),
        // Shared and per-process memory (MB): plenty for a loopback edge.
        '-m',
        '64',
        '-M',
        '8',
        ...kamailioDefines(defines),
      ],
      join(options.logDir, 'kamailio.log'),
      { ...process.env, SIP_AUTH_SECRET: options.secrets.sipAuthSecret, EDGE_API_SECRET: options.secrets.edgeApiSecret },
    );
    const wssPort = options.wss?.port;
    await waitUntilReady(proc, async () => (await tcpAccepts(ports.ws)) && (wssPort === undefined || (await tcpAccepts(wssPort))));
    return proc;
  });
}
