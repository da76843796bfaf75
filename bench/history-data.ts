/**
 * The history benchmark's data: a million call records of the demo business
 * written straight into a local D1 with bulk SQL (recursive CTEs), in chunks
 * through `wrangler d1 execute --local --file`. Every record is the demo
 * user's (caller or callee); internal calls have the admin as callee. The
 * newest `open` records are left unfinished, for the ingestion run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO } from '../scripts/lib/seed';
import { executeFile } from '../scripts/lib/wrangler';

/** How the records are laid out in time: newest at t0, one every stepMs before it. */
export interface Layout {
  count: number;
  open: number;
  t0: number;
  stepMs: number;
}

/** The record id and routing time of the i-th newest record (what a keyset cursor names). */
export function recordAt(layout: Layout, i: number): { id: string; routedAt: number } {
  return { id: `call_b${String(i).padStart(7, '0')}`, routedAt: layout.t0 - i * layout.stepMs };
}

/** The SIP Call-ID of the i-th record. */
export const callIdAt = (i: number) => `bench-${i}@bench`;

function chunkSql(layout: Layout, from: number, to: number): string {
  const { t0, stepMs, open } = layout;
  const biz = DEMO.business.id;
  const user = DEMO.user.id;
  const admin = DEMO.admin.id;
  const our = DEMO.numbers[2];
  const n = `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to - 1})`;
  // i % 3: 0 outbound, 1 inbound, 2 internal. i % 7 == 0: not answered (missed). The newest `open` ones: no outcome yet.
  return `
${n}
INSERT INTO calls (id, business_id, call_id, direction, source, from_user, dialled, caller_user_id, remote_number, our_number,
                   target_user_ids, rang_user_ids, action, plan, routed_at, started_at, ringing_at, answered_at, answered_user_id,
                   ended_at, ended_by, final_code, outcome, duration_ms, billable_seconds, rate_prefix, rate_millicents_per_minute,
                   cost_millicents, cost_cents, events, updated_at)
SELECT printf('call_b%07d', i), '${biz}', printf('bench-%d@bench', i),
       CASE i % 3 WHEN 0 THEN 'outbound' WHEN 1 THEN 'inbound' ELSE 'internal' END,
       CASE i % 3 WHEN 1 THEN 'phone_network' ELSE 'client' END,
       CASE i % 3 WHEN 1 THEN printf('+44161496%04d', i % 10000) ELSE '${user}' END,
       CASE i % 3 WHEN 0 THEN printf('+44161496%04d', i % 10000) WHEN 1 THEN '${our}' ELSE '${admin}' END,
       CASE i % 3 WHEN 1 THEN NULL ELSE '${user}' END,
       CASE i % 3 WHEN 2 THEN NULL ELSE printf('+44161496%04d', i % 10000) END,
       CASE i % 3 WHEN 2 THEN NULL ELSE '${our}' END,
       CASE i % 3 WHEN 0 THEN '[]' WHEN 1 THEN '["${user}"]' ELSE '["${admin}"]' END,
       CASE i % 3 WHEN 0 THEN '[]' WHEN 1 THEN '["${user}"]' ELSE '["${admin}"]' END,
       CASE i % 3 WHEN 0 THEN 'phone_network' ELSE 'ring' END,
       'licensed', ${t0} - i * ${stepMs}, ${t0} - i * ${stepMs}, ${t0} - i * ${stepMs} + 300,
       CASE WHEN i < ${open} OR i % 7 = 0 THEN NULL ELSE ${t0} - i * ${stepMs} + 3000 END,
       CASE WHEN i < ${open} OR i % 7 = 0 OR i % 3 = 0 THEN NULL WHEN i % 3 = 1 THEN '${user}' ELSE '${admin}' END,
       CASE WHEN i < ${open} THEN NULL ELSE ${t0} - i * ${stepMs} + 3000 + (i % 600) * 1000 END,
       CASE WHEN i < ${open} THEN NULL WHEN i % 7 = 0 THEN 'caller' ELSE 'callee' END,
       CASE WHEN i >= ${open} AND i % 7 = 0 THEN 487 ELSE NULL END,
       CASE WHEN i < ${open} THEN NULL WHEN i % 7 = 0 THEN 'missed' ELSE 'answered' END,
       CASE WHEN i < ${open} OR i % 7 = 0 THEN 0 ELSE (i % 600) * 1000 END,
       CASE WHEN i < ${open} OR i % 7 = 0 OR i % 3 != 0 THEN 0 ELSE ((i % 600) + 59) / 60 * 60 END,
       CASE WHEN i < ${open} OR i % 7 = 0 OR i % 3 != 0 THEN NULL ELSE '44' END,
       CASE WHEN i < ${open} OR i % 7 = 0 OR i % 3 != 0 THEN NULL ELSE 1000 END,
       CASE WHEN i < ${open} OR i % 7 = 0 OR i % 3 != 0 THEN 0 ELSE ((i % 600) + 59) / 60 * 1000 END,
       CASE WHEN i < ${open} OR i % 7 = 0 OR i % 3 != 0 THEN 0 ELSE ((i % 600) + 59) / 60 END,
       CASE WHEN i < ${open} THEN 0 ELSE 4 END,
       ${t0}
  FROM n;
${n}
INSERT INTO call_parties (business_id, user_id, call_id, role, routed_at, missed, seen)
SELECT '${biz}', '${user}', printf('call_b%07d', i), CASE i % 3 WHEN 1 THEN 'callee' ELSE 'caller' END, ${t0} - i * ${stepMs},
       CASE WHEN i % 3 = 1 AND i % 7 = 0 AND i >= ${open} THEN 1 ELSE 0 END, 1
  FROM n;
${n}
INSERT INTO call_parties (business_id, user_id, call_id, role, routed_at, missed, seen)
SELECT '${biz}', '${admin}', printf('call_b%07d', i), 'callee', ${t0} - i * ${stepMs},
       CASE WHEN i % 7 = 0 AND i >= ${open} THEN 1 ELSE 0 END, 1
  FROM n WHERE i % 3 = 2;
`;
}

/** Writes the records in chunks; `progress` is told after each. */
export async function generateRecords(layout: Layout, state: string, chunk: number, progress: (done: number) => void): Promise<void> {
  for (let from = 0; from < layout.count; from += chunk) {
    const to = Math.min(layout.count, from + chunk);
    const file = join(state, `history-chunk-${from}.sql`);
    writeFileSync(file, chunkSql(layout, from, to));
    await executeFile(file, state);
    progress(to);
  }
}
