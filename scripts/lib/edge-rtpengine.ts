/** rtpengine in userspace: one loopback interface, an ng control port, a small media port range. */
import { dirname, join } from 'node:path';
import type { EdgePorts } from './edge-config';
import { type EdgeProcess, startLogged, waitUntilReady } from './edge-process';
import { ngCommand } from './edge-rtpengine-ng';

/**
 * Where rtpengine keeps call recordings in an edge work directory: the edge
 * agent reads the same place (`metadata/` holds the finished calls, `pcaps/`
 * their packets, `tmp/` the calls still running). Derived from the work
 * directory on both sides, so neither needs telling.
 */
export const recordingDirOf = (workDir: string) => join(workDir, 'recordings');

/** Starts rtpengine and resolves once it answers an ng ping. */
export async function startRtpengine(options: {
  ports: EdgePorts;
  logDir: string;
  ip?: string;
  /** Default: `recordings/` beside the log directory (the edge's work directory). */
  recordingDir?: string;
}): Promise<EdgeProcess> {
  const { ports } = options;
  const ip = options.ip ?? '127.0.0.1';
  const recordingDir = options.recordingDir ?? recordingDirOf(dirname(options.logDir));
  const proc = startLogged(
    'rtpengine',
    '/usr/bin/rtpengine',
    [
      // Without this it merges /etc/rtpengine/rtpengine.conf into ours.
      '--config-file=none',
      '--foreground',
      '--log-stderr',
      '--log-level=6',
      // No kernel module here: userspace forwarding only.
      '--table=-1',
      `--interface=${ip}`,
      `--listen-ng=${ip}:${ports.rtpengineNg}`,
      `--port-min=${ports.rtpMin}`,
      `--port-max=${ports.rtpMax}`,
      // One worker thread: 2 cores, and werift's DTLS handshake stalls with several (ENGINEERING.md).
      '--num-threads=1',
      // Forget a call as soon as it is deleted, so `list` shows only live calls.
      '--delete-delay=0',
      '--timeout=60',
      // Calls the Worker says to record (`record-call=on` in media.cfg): the
      // pcap method is the one that works without the kernel module (the
      // recording daemon reads only the module's /proc files). Raw IP
      // packets: no made-up Ethernet headers to skip.
      '--recording-method=pcap',
      `--recording-dir=${recordingDir}`,
      '--recording-format=raw',
    ],
    join(options.logDir, 'rtpengine.log'),
  );
  await waitUntilReady(proc, async () => (await ngCommand(ports.rtpengineNg, { command: 'ping' }, 300)).result === 'pong');
  return proc;
}
