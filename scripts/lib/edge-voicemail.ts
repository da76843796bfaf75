/**
 * The voicemail service (edge/voicemail/): registers with Kamailio over
 * SIP-over-WebSocket as `voicemail`, answers the calls Kamailio sends it and
 * uploads messages to the Worker. Run with tsx under Node in its own process
 * group, its spool and greeting cache in the edge's work directory (so a
 * restarted edge still delivers what it had recorded). Started after
 * Kamailio (it must register) and stopped before it.
 */
import { join } from 'node:path';
import { EDGE_DIR } from './edge-config';
import { type EdgeProcess, startLogged, waitUntilReady } from './edge-process';
import { ROOT } from './wrangler';

/** What the service is started with. */
export interface VoicemailOptions {
  /** Its loopback health port. */
  port: number;
  /** Kamailio's SIP WebSocket. */
  wsUrl: string;
  sipDomain: string;
  workerUrl: string;
  sipAuthSecret: string;
  edgeApiSecret: string;
  workDir: string;
  logDir: string;
  /** Its local ICE/RTP ports. */
  rtpPorts: [number, number];
  /** Overrides of the message limits (tests). */
  limits?: { silenceSeconds?: number; maxMessageSeconds?: number; minMessageMs?: number };
}

/** What the service says about itself (`GET /health`). */
export interface VoicemailHealth {
  registered: boolean;
  activeCalls: number;
  calls: Record<'message' | 'too_short' | 'hung_up_early' | 'media_failed' | 'refused', number>;
  lastCall: {
    callId: string;
    userId: string | null;
    result: string;
    answerMs?: number;
    mediaMs?: number;
    durationMs?: number;
  } | null;
  pendingUploads: number;
  workerReachable: boolean;
  uploaded: number;
  refused: number;
  failures: number;
  lastError: string | null;
}

/** Reads the service's health, or undefined when it does not answer. */
export async function voicemailHealth(port: number): Promise<VoicemailHealth | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? ((await res.json()) as VoicemailHealth) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the service and resolves once it is registered with Kamailio. */
export async function startVoicemail(options: VoicemailOptions): Promise<EdgeProcess> {
  const { limits } = options;
  const proc = startLogged(
    'voicemail service',
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    [join(EDGE_DIR, 'voicemail', 'main.ts')],
    join(options.logDir, 'voicemail.log'),
    {
      ...process.env,
      VOICEMAIL_PORT: String(options.port),
      VOICEMAIL_WS_URL: options.wsUrl,
      SIP_DOMAIN: options.sipDomain,
      WORKER_URL: options.workerUrl,
      SIP_AUTH_SECRET: options.sipAuthSecret,
      EDGE_API_SECRET: options.edgeApiSecret,
      VOICEMAIL_SPOOL_DIR: join(options.workDir, 'voicemail-spool'),
      VOICEMAIL_CACHE_DIR: join(options.workDir, 'voicemail-cache'),
      VOICEMAIL_RTP_PORTS: options.rtpPorts.join('-'),
      // rtpengine listens on loopback here: one candidate, no checks toward other interfaces.
      VOICEMAIL_MEDIA_IP: '127.0.0.1',
      ...(limits?.silenceSeconds ? { VOICEMAIL_SILENCE_SECONDS: String(limits.silenceSeconds) } : {}),
      ...(limits?.maxMessageSeconds ? { VOICEMAIL_MAX_MESSAGE_SECONDS: String(limits.maxMessageSeconds) } : {}),
      ...(limits?.minMessageMs ? { VOICEMAIL_MIN_MESSAGE_MS: String(limits.minMessageMs) } : {}),
    },
  );
  // tsx compiles on start and the greetings are converted once: longer than a native server.
  await waitUntilReady(proc, async () => (await voicemailHealth(options.port))?.registered === true, 30_000);
  return proc;
}
