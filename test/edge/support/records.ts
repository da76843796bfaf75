/** Reading the Worker's call records from the edge tests: the test wrangler's local D1 and the agent's health. */
import { agentHealth } from '../../../scripts/lib/edge-agent';
import { delay } from '../../../scripts/lib/edge-process';
import type { CallRow } from '../../../worker/calls/call-row';
import { sql, sqlValue } from './d1';
import { edge } from './edge-context';

/** The agent's port, as startEdge chose it (the WebSocket port + 4). */
export const agentPort = edge.ports.ws + 4;

/** The records with this SIP Call-ID (one, when all is well). */
export function recordsOf(callId: string): Promise<CallRow[]> {
  return sql<CallRow>(`SELECT * FROM calls WHERE call_id = ${sqlValue(callId)}`);
}

/** The event ids stored for a Call-ID. */
export async function eventIdsOf(callId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>(`SELECT id FROM call_events WHERE call_id = ${sqlValue(callId)} ORDER BY id`);
  return rows.map((r) => r.id);
}

/** The code of the call's failed event as the Worker stored it (kept even for a call a tap override routed). */
export async function failedEventCode(callId: string): Promise<number | undefined> {
  const [row] = await sql<{ body: string }>(`SELECT body FROM call_events WHERE id = ${sqlValue(`${callId}#failed`)}`);
  return row ? (JSON.parse(row.body) as { code?: number }).code : undefined;
}

/** Waits until the call's record satisfies `done` (the events take a moment: Kamailio → agent → Worker). */
export async function recordWhen(callId: string, done: (row: CallRow) => boolean, timeoutMs = 15_000): Promise<CallRow> {
  const deadline = Date.now() + timeoutMs;
  let last: CallRow[] = [];
  while (Date.now() < deadline) {
    last = await recordsOf(callId);
    if (last.length === 1 && done(last[0] as CallRow)) return last[0] as CallRow;
    await delay(300);
  }
  throw new Error(`the record of ${callId} never got there: ${JSON.stringify(last)}`);
}

/** The agent's health; throws when it does not answer. */
export async function agent() {
  const health = await agentHealth(agentPort);
  if (!health) throw new Error('the edge agent does not answer');
  return health;
}
