/**
 * The edge agent (edge/agent/): Kamailio's call events → an fsync'd spool →
 * the Worker, signed. Run with tsx under Node in its own process group, on a
 * loopback port, its spool in the edge's work directory (so a restarted edge
 * resumes delivering what it had not delivered yet).
 */
import { join } from 'node:path';
import { EDGE_DIR } from './edge-config';
import { type EdgeProcess, startLogged, waitUntilReady } from './edge-process';
import { ROOT } from './wrangler';

/** What the agent is started with. */
export interface AgentOptions {
  port: number;
  workerUrl: string;
  edgeApiSecret: string;
  spoolDir: string;
  logDir: string;
}

/** What the agent says about itself (`GET /health`). */
export interface AgentHealth {
  pending: number;
  delivered: number;
  duplicates: number;
  rejected: number;
  failures: number;
  invalid: number;
  workerReachable: boolean;
  lastError: string | null;
}

/** Reads the agent's health, or undefined when it does not answer. */
export async function agentHealth(port: number): Promise<AgentHealth | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? ((await res.json()) as AgentHealth) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the agent and resolves once it answers /health. */
export async function startAgent(options: AgentOptions): Promise<EdgeProcess> {
  const proc = startLogged(
    'edge agent',
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    [join(EDGE_DIR, 'agent', 'main.ts')],
    join(options.logDir, 'agent.log'),
    {
      ...process.env,
      AGENT_PORT: String(options.port),
      WORKER_URL: options.workerUrl,
      EDGE_API_SECRET: options.edgeApiSecret,
      SPOOL_DIR: options.spoolDir,
    },
  );
  // tsx compiles on start: give it longer than a native server.
  await waitUntilReady(proc, async () => (await agentHealth(options.port)) !== undefined, 20_000);
  return proc;
}
