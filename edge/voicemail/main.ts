/**
 * The voicemail service: registers with Kamailio as `voicemail`, answers the
 * calls Kamailio sends it (the mailbox in `X-Voicemail-For`), plays the
 * owner's greeting and a beep, records the caller, and uploads the message
 * to the Worker from an on-disk spool. Started by
 * scripts/lib/edge-voicemail.ts (tsx, its own process group); in
 * production, a systemd unit beside Kamailio and rtpengine. Configuration
 * from the environment (secrets never on the command line):
 *
 *   VOICEMAIL_WS_URL        Kamailio's SIP WebSocket (default ws://127.0.0.1:5066)
 *   SIP_DOMAIN              default softphone.local
 *   VOICEMAIL_SIP_USER      the reserved user it registers as (default voicemail)
 *   SIP_AUTH_SECRET         mints its auth_ephemeral credential
 *   WORKER_URL              the Worker (default http://127.0.0.1:8787)
 *   EDGE_API_SECRET         bearer token toward the Worker
 *   VOICEMAIL_PORT          loopback port of GET /health (default 5071)
 *   VOICEMAIL_SPOOL_DIR     messages waiting for the Worker (default ./voicemail-spool)
 *   VOICEMAIL_CACHE_DIR     converted greetings (default ./voicemail-cache)
 *   VOICEMAIL_MEDIA_IP      the local address offered for media (default: every interface's)
 *   VOICEMAIL_RTP_PORTS     local ICE/RTP port range "min-max" (default: any)
 *   VOICEMAIL_SILENCE_SECONDS, VOICEMAIL_MAX_MESSAGE_SECONDS, VOICEMAIL_MIN_MESSAGE_MS
 *                           override shared/voicemail-api.ts's limits (tests)
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Greetings } from './greetings';
import { MessageSpool } from './message-spool';
import { SipAgent } from './sip-agent';
import { Uploader } from './upload';
import { type CallOutcome, handleVoicemailCall } from './voicemail-call';
import { warmUp } from './webrtc-sdh';

const env = process.env;
const port = Number(env.VOICEMAIL_PORT ?? 5071);
const workerUrl = env.WORKER_URL ?? 'http://127.0.0.1:8787';
const edgeApiSecret = env.EDGE_API_SECRET ?? '';
const sipAuthSecret = env.SIP_AUTH_SECRET ?? '';
const rtpPorts = env.VOICEMAIL_RTP_PORTS?.split('-').map(Number) as [number, number] | undefined;
const seconds = (name: string) => (env[name] ? Number(env[name]) * 1000 : undefined);

/** One JSON line per log entry on stdout (the start script sends it to a file). */
function log(message: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ at: new Date().toISOString(), message, ...fields }));
}

if (!edgeApiSecret || !sipAuthSecret) {
  log('EDGE_API_SECRET and SIP_AUTH_SECRET must be set: refusing to start');
  process.exit(1);
}

const spool = new MessageSpool(env.VOICEMAIL_SPOOL_DIR ?? 'voicemail-spool');
const uploader = new Uploader({ workerUrl, secret: edgeApiSecret, spool, log });
const greetings = new Greetings({
  workerUrl,
  secret: edgeApiSecret,
  cacheDir: env.VOICEMAIL_CACHE_DIR ?? 'voicemail-cache',
  defaultGreeting: fileURLToPath(new URL('./default-greeting.ogg', import.meta.url)),
  log,
});
const limits = {
  maxMessageMs: seconds('VOICEMAIL_MAX_MESSAGE_SECONDS'),
  silenceMs: seconds('VOICEMAIL_SILENCE_SECONDS'),
  minMessageMs: env.VOICEMAIL_MIN_MESSAGE_MS ? Number(env.VOICEMAIL_MIN_MESSAGE_MS) : undefined,
};

const media = { portRange: rtpPorts, address: env.VOICEMAIL_MEDIA_IP || undefined };
const active = new Set<string>();
const outcomes: Record<CallOutcome['result'], number> = { message: 0, too_short: 0, hung_up_early: 0, media_failed: 0, refused: 0 };
let last: CallOutcome | null = null;

const agent = new SipAgent({
  wsUrl: env.VOICEMAIL_WS_URL ?? 'ws://127.0.0.1:5066',
  domain: env.SIP_DOMAIN ?? 'softphone.local',
  user: env.VOICEMAIL_SIP_USER ?? 'voicemail',
  sipAuthSecret,
  media,
  log,
  onInvite: (invitation) => {
    const callId = invitation.request.callId;
    active.add(callId);
    handleVoicemailCall(invitation, { greetings, spool, uploader, log, limits })
      .then((outcome) => {
        outcomes[outcome.result]++;
        last = outcome;
      })
      .catch((err: unknown) => log('voicemail call failed', { callId, error: String(err) }))
      .finally(() => active.delete(callId));
  },
});

/** `GET /health` (loopback): registered or not, calls, and the upload queue. */
const server = createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/health') return res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(
    JSON.stringify({
      registered: agent.registered,
      activeCalls: active.size,
      calls: outcomes,
      lastCall: last,
      pendingUploads: spool.count(),
      workerReachable: !uploader.failing,
      ...uploader.stats,
    }),
  );
});

await greetings.prepare();
await warmUp(media);
server.listen(port, '127.0.0.1', () => log('voicemail service listening', { port, workerUrl, pending: spool.count() }));
uploader.start();
await agent.start();

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log('stopping', { signal, activeCalls: active.size, pending: spool.count() });
  server.close();
  await agent.stop();
  await uploader.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
