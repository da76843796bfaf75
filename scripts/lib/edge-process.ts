/**
 * Starting and stopping the edge's servers: each in its own process group
 * (via `startProcess`), output to a log file, "ready" only once it really
 * serves, and a stop that never leaves a worker behind.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { type Managed, startProcess } from './processes';

/** A server of the edge with its log file. */
export interface EdgeProcess {
  managed: Managed;
  log: string;
  stop(): Promise<void>;
}

/** Spawns a server whose stdout and stderr go to `log`. */
export function startLogged(name: string, command: string, args: string[], log: string, env?: NodeJS.ProcessEnv): EdgeProcess {
  // A fresh log per start.
  const fd = openSync(log, 'w');
  try {
    const managed = startProcess(name, command, args, { stdio: ['ignore', fd, fd], env: env ?? process.env });
    // If this Node process dies without stopping us (an uncaught error), take the group along.
    const onExit = () => killGroupNow(managed);
    process.once('exit', onExit);
    void managed.exited.then(() => process.removeListener('exit', onExit));
    return { managed, log, stop: () => stopGracefully(managed) };
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(fd);
  }
}

/** How long Linux keeps a closed TCP connection in TIME_WAIT (60 s), with a margin. */
const TIME_WAIT_MS = 65_000;

/**
 * Runs `start` (spawn, then wait until ready) again while the server's port
 * is still held by the last run's connections: Kamailio and baresip refuse
 * to listen on a port that connections of a server just stopped still keep
 * in TIME_WAIT, so a run right after another (two benches in a row) failed.
 */
export async function startWhenPortFree<T>(start: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + TIME_WAIT_MS;
  for (;;) {
    try {
      return await start();
    } catch (error) {
      if (!String(error).includes('Address already in use') || Date.now() > deadline) throw error;
      await delay(1000);
    }
  }
}

/**
 * SIGTERM to the main process first (Kamailio's main process then stops its
 * own workers), then SIGTERM and SIGKILL to the whole group: a worker
 * orphaned by killing only the main process spins and fills its log.
 */
export async function stopGracefully(managed: Managed, graceMs = 3000): Promise<void> {
  const { child } = managed;
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([managed.exited, delay(graceMs)]);
  }
  await managed.stop(1000);
}

function killGroupNow(managed: Managed): void {
  if (managed.child.pid === undefined) return;
  try {
    process.kill(-managed.child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Resolves once `check` succeeds; fails early with the log's tail if the process exits. */
export async function waitUntilReady(proc: EdgeProcess, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.managed.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${proc.managed.name} exited during start-up. ${logTail(proc.log)}`);
    if (await check().catch(() => false)) return;
    await delay(50);
  }
  await proc.stop();
  throw new Error(`${proc.managed.name} was not ready within ${timeoutMs} ms. ${logTail(proc.log)}`);
}

/** Whether a TCP listener accepts a connection. */
export function tcpAccepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The last lines of a log, for error messages. */
export function logTail(log: string, lines = 25): string {
  try {
    const text = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    return `Last lines of ${log}:\n${text}`;
  } catch {
    return `(no log at ${log})`;
  }
}

/** Waits `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
