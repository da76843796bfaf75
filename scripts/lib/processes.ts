/**
 * Child processes started by our scripts, each in its own process group so
 * that stopping it stops everything it spawned (wrangler → workerd, kamailio
 * → its workers) and nothing is left behind.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

export interface Managed {
  name: string;
  child: ChildProcess;
  /** SIGTERM to the group, then SIGKILL to the group if it lingers. */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

const running = new Set<Managed>();

/** Spawns a command as the leader of a new process group. */
export function startProcess(name: string, command: string, args: string[], options: SpawnOptions = {}): Managed {
  const child = spawn(command, args, { stdio: 'inherit', ...options, detached: true });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const managed: Managed = {
    name,
    child,
    exited,
    async stop(graceMs = 3000) {
      running.delete(managed);
      if (child.exitCode !== null || child.signalCode !== null) {
        killGroup(child, 'SIGKILL'); // reap any orphans left in its group
        return;
      }
      killGroup(child, 'SIGTERM');
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs));
      await Promise.race([exited, timer]);
      killGroup(child, 'SIGKILL');
    },
  };
  running.add(managed);
  return managed;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Stops every process this script started, newest first. */
export async function stopAll(): Promise<void> {
  for (const managed of [...running].reverse()) await managed.stop();
}
