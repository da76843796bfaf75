import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CALLS_AFTER_TERMINATION_MS, callRetentionJobs } from '../../worker/calls/retention-jobs';
import { runMaintenance } from '../../worker/maintenance/cron';
import { seedBusiness } from './support/api';

const DAY = 86_400_000;
const EXTERNAL = '+441614960001';

/** Writes a finished internal call from `caller` to `callee`, with both parties' history rows and one event. */
async function internalCall(businessId: string, caller: string, callee: string, at: number): Promise<string> {
  const id = `call_${Math.random().toString(36).slice(2, 12)}`;
  const callId = `${id}@retention.test`;
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO calls (id, business_id, call_id, direction, source, from_user, dialled, caller_user_id, remote_number,
                          target_user_ids, rang_user_ids, action, plan, routed_at, started_at, answered_at, answered_user_id,
                          answered_contact, ended_at, outcome, duration_ms, updated_at)
       VALUES (?1, ?2, ?3, 'internal', 'client', ?4, ?5, ?4, NULL, json_array(?5), json_array(?5), 'ring', 'licensed',
               ?6, ?6, ?6 + 1000, ?5, 'sip:device@invalid', ?6 + 61000, 'answered', 60000, ?6)`,
    ).bind(id, businessId, callId, caller, callee, at),
    env.DB.prepare(
      `INSERT INTO call_parties (business_id, user_id, call_id, role, routed_at) VALUES (?1, ?2, ?4, 'caller', ?5), (?1, ?3, ?4, 'callee', ?5)`,
    ).bind(businessId, caller, callee, id, at),
    env.DB.prepare(
      `INSERT INTO call_events (id, business_id, call_id, type, at, received_at, body) VALUES (?1, ?2, ?3, 'start', ?4, ?4, '{}')`,
    ).bind(`${callId}#start`, businessId, callId, at),
  ]);
  return id;
}

/** Writes an outbound call to the phone network by `caller`, with their history row. */
async function outboundCall(businessId: string, caller: string, at: number): Promise<string> {
  const id = `call_${Math.random().toString(36).slice(2, 12)}`;
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO calls (id, business_id, call_id, direction, source, from_user, dialled, caller_user_id, remote_number, action, plan,
                          routed_at, started_at, outcome, cost_millicents, cost_cents, updated_at)
       VALUES (?1, ?2, ?3, 'outbound', 'client', ?4, ?5, ?4, ?5, 'phone_network', 'licensed', ?6, ?6, 'answered', 1500, 2, ?6)`,
    ).bind(id, businessId, `${id}@retention.test`, caller, EXTERNAL, at),
    env.DB.prepare(`INSERT INTO call_parties (business_id, user_id, call_id, role, routed_at) VALUES (?1, ?2, ?3, 'caller', ?4)`).bind(
      businessId,
      caller,
      id,
      at,
    ),
  ]);
  return id;
}

const terminateUser = (id: string, at: number) => env.DB.prepare('UPDATE users SET terminated_at = ? WHERE id = ?').bind(at, id).run();
const terminateBusiness = (id: string, at: number) =>
  env.DB.prepare("UPDATE businesses SET terminated_at = ?, status = 'terminated' WHERE id = ?").bind(at, id).run();
const count = async (sql: string, ...args: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...args)
      .first<{ n: number }>()
  )?.n;

const silent = () => {};

describe('call records are kept 84 months after termination', () => {
  it('a business terminated longer ago loses its calls, history and events; a more recent one keeps them', async () => {
    const now = Date.now();
    const gone = await seedBusiness();
    const kept = await seedBusiness();
    await internalCall(gone.business.id, gone.user.id, gone.admin.id, now - 3000 * DAY);
    await outboundCall(gone.business.id, gone.user.id, now - 2600 * DAY);
    await internalCall(kept.business.id, kept.user.id, kept.admin.id, now - 3000 * DAY);
    await terminateBusiness(gone.business.id, now - CALLS_AFTER_TERMINATION_MS - DAY);
    await terminateBusiness(kept.business.id, now - CALLS_AFTER_TERMINATION_MS + DAY);

    const results = await runMaintenance(env, now, callRetentionJobs, silent);
    expect(results.calls_after_business_termination).toBe(2);

    expect(await count('SELECT COUNT(*) AS n FROM calls WHERE business_id = ?', gone.business.id)).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM call_parties WHERE business_id = ?', gone.business.id)).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM call_events WHERE business_id = ?', gone.business.id)).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM calls WHERE business_id = ?', kept.business.id)).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM call_parties WHERE business_id = ?', kept.business.id)).toBe(2);
  });

  it('a user terminated longer ago loses their history and their name on records; the business keeps the bill and the colleague their history', async () => {
    const now = Date.now();
    const b = await seedBusiness();
    const internal = await internalCall(b.business.id, b.user.id, b.admin.id, now - 3000 * DAY);
    const outbound = await outboundCall(b.business.id, b.user.id, now - 2900 * DAY);
    const adminOwn = await outboundCall(b.business.id, b.admin.id, now - 2900 * DAY);
    await terminateUser(b.user.id, now - CALLS_AFTER_TERMINATION_MS - DAY);

    const results = await runMaintenance(env, now, callRetentionJobs, silent);
    expect(results.calls_after_user_termination).toBe(2);

    // The user's history is gone; the admin (still with us) keeps theirs.
    expect(await count('SELECT COUNT(*) AS n FROM call_parties WHERE user_id = ?', b.user.id)).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM call_parties WHERE user_id = ?', b.admin.id)).toBe(2);

    const row = (id: string) => env.DB.prepare('SELECT * FROM calls WHERE id = ?').bind(id).first<Record<string, unknown>>();
    const out = await row(outbound);
    expect(out).toMatchObject({ caller_user_id: null, from_user: 'anonymised', remote_number: EXTERNAL, cost_cents: 2 });
    const inside = await row(internal);
    // The admin answered: the record still says so; only the terminated caller is gone.
    expect(inside).toMatchObject({ caller_user_id: null, answered_user_id: b.admin.id, answered_contact: 'sip:device@invalid' });
    expect(JSON.parse(String(inside?.target_user_ids))).toEqual([b.admin.id]);
    expect(await row(adminOwn)).toMatchObject({ caller_user_id: b.admin.id, from_user: b.admin.id });
    expect(JSON.stringify(await env.DB.prepare('SELECT * FROM calls WHERE business_id = ?').bind(b.business.id).all())).not.toContain(
      b.user.id,
    );

    // A second run finds nothing left to do.
    const again = await runMaintenance(env, now, callRetentionJobs, silent);
    expect(again).toEqual({ calls_after_business_termination: 0, calls_after_user_termination: 0 });
  });

  it('a terminated user who answered is forgotten with the device they answered on', async () => {
    const now = Date.now();
    const b = await seedBusiness();
    const id = await internalCall(b.business.id, b.user.id, b.admin.id, now - 3000 * DAY);
    await env.DB.prepare("UPDATE calls SET answered_device = 'Chrome on Android' WHERE id = ?").bind(id).run();
    await terminateUser(b.admin.id, now - CALLS_AFTER_TERMINATION_MS - DAY);
    await runMaintenance(env, now, callRetentionJobs, silent);
    expect(await env.DB.prepare('SELECT * FROM calls WHERE id = ?').bind(id).first()).toMatchObject({
      caller_user_id: b.user.id,
      answered_user_id: null,
      answered_contact: null,
      answered_device: null,
    });
  });

  it('a user terminated less than 84 months ago keeps everything', async () => {
    const now = Date.now();
    const b = await seedBusiness();
    const id = await outboundCall(b.business.id, b.user.id, now - 2000 * DAY);
    await terminateUser(b.user.id, now - CALLS_AFTER_TERMINATION_MS + DAY);
    await runMaintenance(env, now, callRetentionJobs, silent);
    expect(await env.DB.prepare('SELECT caller_user_id FROM calls WHERE id = ?').bind(id).first('caller_user_id')).toBe(b.user.id);
    expect(await count('SELECT COUNT(*) AS n FROM call_parties WHERE user_id = ?', b.user.id)).toBe(1);
  });
});
