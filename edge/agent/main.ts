/**
 * The edge agent: takes Kamailio's call events on a loopback port, spools
 * them to disk, and delivers them to the Worker signed, at least once.
 * Started by scripts/lib/edge-agent.ts (tsx, its own process group); in
 * production, a systemd unit beside Kamailio. Configuration from the
 * environment (the secret never on the command line):
 *
 *   AGENT_PORT        loopback port Kamailio posts to (default 5070)
 *   WORKER_URL        the Worker (default http://127.0.0.1:8787)
 *   EDGE_API_SECRET   shared with the Worker and Kamailio
 *   SPOOL_DIR         where events wait (default ./spool); recordings wait in its `recordings/`
 *   RECORDING_DIR     rtpengine's --recording-dir (default: `recordings/` beside
 *                     SPOOL_DIR, which is where scripts/lib/edge-rtpengine.ts puts it)
 *   FFMPEG            the ffmpeg that converts recordings (default /usr/bin/ffmpeg)
 */
import { dirname, join, resolve } from 'node:path';
import { Deliverer } from './deliver';
import { createIntake } from './intake';
import { RecordingUploader } from './recordings/uploader';
import { Spool } from './spool';

const port = Number(process.env.AGENT_PORT ?? 5070);
const workerUrl = process.env.WORKER_URL ?? 'http://127.0.0.1:8787';
const secret = process.env.EDGE_API_SECRET ?? '';
const spoolDir = process.env.SPOOL_DIR ?? 'spool';
const recordingDir = process.env.RECORDING_DIR ?? join(dirname(resolve(spoolDir)), 'recordings');

/** One JSON line per log entry on stdout (the start script sends it to a file). */
function log(message: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ at: new Date().toISOString(), message, ...fields }));
}

if (!secret) {
  log('EDGE_API_SECRET is not set: refusing to start');
  process.exit(1);
}

const spool = new Spool(spoolDir);
const deliverer = new Deliverer({ workerUrl, secret, spool, log });
const recordings = new RecordingUploader({
  recordingDir,
  spoolDir: join(spoolDir, 'recordings'),
  workerUrl,
  secret,
  log,
  ffmpeg: process.env.FFMPEG,
});
const server = createIntake({
  spool,
  deliverer,
  secret,
  log,
  health: () => ({ recordings: { ...recordings.stats, workerReachable: !recordings.failing } }),
});
server.listen(port, '127.0.0.1', () => {
  log('edge agent listening', { port, workerUrl, spoolDir, recordingDir, pending: spool.size });
  deliverer.start();
  recordings.start();
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log('stopping', { signal, pending: spool.size });
  server.close();
  await Promise.all([deliverer.stop(), recordings.stop()]);
  spool.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
