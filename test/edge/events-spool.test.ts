import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentHealth, startAgent } from '../../scripts/lib/edge-agent';
import { delay, type EdgeProcess } from '../../scripts/lib/edge-process';
import { edge, registeredUser, tap } from './support/edge-context';
import { ALPHA } from './support/fixtures';
import { agent, agentPort, eventIdsOf, recordsOf, recordWhen } from './support/records';

/**
 * The Worker away: events wait in the agent's spool (on disk) and arrive once
 * it is back, each once; an agent restarted in between resumes from the spool.
 * "Away" is the route tap refusing connections, exactly what the agent sees
 * when wrangler dev stops.
 */
beforeAll(() => tap({ mode: 'pass', overrides: {} }));
afterAll(() => tap({ mode: 'pass' }));

describe('the Worker down: events spool on the agent and arrive when it is back', () => {
  it('a call answered while the Worker is up and ended while it is down: the end waits on disk, then completes the one record', async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const bob = await registeredUser(ALPHA.bob.id);
    const call = alice.call(ALPHA.bob.id);
    const invite = await bob.nextInvite();
    invite.ring();
    await invite.answer();
    expect(await call.status()).toBe(200);
    await recordWhen(call.callId, (r) => r.outcome === 'answered');

    await tap({ mode: 'down' });
    expect((await call.bye()).status).toBe(200);
    // Kamailio queued it, the agent spooled it and cannot deliver it.
    await expect.poll(async () => (await agent()).pending, { timeout: 5000 }).toBeGreaterThan(0);
    expect((await agent()).workerReachable).toBe(false);
    const spool = join(edge.workDir, 'agent-spool');
    const onDisk = readdirSync(spool)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => readFileSync(join(spool, f), 'utf8'))
      .join('');
    expect(onDisk).toContain(`"${call.callId}#end"`);
    await delay(1500);
    expect((await recordsOf(call.callId))[0]).toMatchObject({ ended_at: null });

    await tap({ mode: 'pass' });
    // The backoff has grown a little while it was down (a few seconds at most here).
    const record = await recordWhen(call.callId, (r) => r.ended_at !== null, 40_000);
    expect(record).toMatchObject({ outcome: 'answered', ended_by: 'caller', answered_user_id: ALPHA.bob.id, events: 4 });
    expect(await eventIdsOf(call.callId)).toEqual(['answer', 'end', 'ringing', 'start'].map((t) => `${call.callId}#${t}`));
    expect(await recordsOf(call.callId)).toHaveLength(1);
    await expect.poll(async () => (await agent()).pending, { timeout: 10_000 }).toBe(0);
  }, 60_000);
});

describe('an agent restarted with events in its spool', () => {
  const secret = edge.edgeApiSecret;
  let extra: EdgeProcess | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await extra?.stop();
    extra = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** Posts events to an agent as Kamailio does. */
  async function post(port: number, events: unknown[]) {
    const res = await fetch(`http://127.0.0.1:${port}/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
      body: JSON.stringify(events),
    });
    return { status: res.status, body: await res.json() };
  }

  it('keeps what it spooled across a restart, delivers it once the Worker answers, and skips a torn last line', async () => {
    const callId = `spool-${Date.now()}@test`;
    // The Worker decides the call (its record), as it would for Kamailio.
    const routed = await fetch(`${edge.appUrl}/api/edge/route`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
      body: JSON.stringify({ callId, source: 'client', fromUser: ALPHA.alice.id, to: ALPHA.bob.id }),
    });
    expect(await routed.json()).toMatchObject({ action: 'ring' });

    const spoolDir = mkdtempSync(join(tmpdir(), 'softphone-agent-spool-'));
    const logDir = mkdtempSync(join(tmpdir(), 'softphone-agent-log-'));
    dirs.push(spoolDir, logDir);
    const port = agentPort + 100;
    // Nothing listens on this port: the Worker is down.
    const down = `http://127.0.0.1:${edge.ports.ws + 7}`;
    extra = await startAgent({ port, workerUrl: down, edgeApiSecret: secret, spoolDir, logDir });
    const t = Math.floor(Date.now() / 1000) - 30;
    const events = [
      { type: 'start', callId, ts: `${t}.000100`, source: 'client', from: ALPHA.alice.id, to: ALPHA.bob.id },
      { type: 'answer', callId, ts: `${t + 2}.500000`, code: 200, user: ALPHA.bob.id, contact: '<sip:laptop@x.invalid;transport=ws>' },
      { type: 'end', callId, ts: `${t + 12}.750000`, by: 'callee' },
    ];
    expect(await post(port, events)).toEqual({ status: 200, body: { spooled: 3 } });
    // Kamailio may post a batch twice (it resends what it thinks was not taken): spooled again, applied once.
    expect(await post(port, events.slice(1, 2))).toEqual({ status: 200, body: { spooled: 1 } });
    expect(await post(port, [{ type: 'nonsense', callId }])).toEqual({ status: 200, body: { spooled: 0 } });
    expect((await fetch(`http://127.0.0.1:${port}/events`, { method: 'POST', body: '[]' })).status).toBe(401);
    await delay(500);
    expect(await agentHealth(port)).toMatchObject({ pending: 4, delivered: 0, invalid: 1, workerReachable: false });

    await extra.stop();
    // A crash mid-write leaves half a line: it was never acknowledged to Kamailio, so it is skipped.
    const segment = readdirSync(spoolDir).find((f) => f.endsWith('.jsonl')) as string;
    appendFileSync(join(spoolDir, segment), '{"id":"torn#start","type":"sta');

    extra = await startAgent({ port, workerUrl: edge.appUrl, edgeApiSecret: secret, spoolDir, logDir });
    await expect.poll(async () => (await agentHealth(port))?.pending, { timeout: 10_000 }).toBe(0);
    expect(await agentHealth(port)).toMatchObject({ delivered: 3, duplicates: 1, rejected: 0 });
    // Everything delivered is gone from disk.
    expect(readdirSync(spoolDir).filter((f) => f.startsWith('seg-'))).toEqual([]);

    const record = await recordWhen(callId, (r) => r.ended_at !== null);
    expect(record).toMatchObject({
      outcome: 'answered',
      started_at: t * 1000,
      answered_at: (t + 2) * 1000 + 500,
      ended_at: (t + 12) * 1000 + 750,
      duration_ms: 10_250,
      answered_user_id: ALPHA.bob.id,
      ended_by: 'callee',
      events: 3,
    });
  }, 60_000);
});
