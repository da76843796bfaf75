import { type EdgeEvent, edgeEvent } from '../../shared/calls-api';
import { answeredDeviceLabels } from './answered-device';
import { buildCall } from './build-record';
import { type CallRow, missedForCallee } from './call-row';
import { FREE, findRates, type Price, priceCall, type Rate } from './rating';

/** A call that has just become a missed call for the people it was for. */
export interface NewlyMissed {
  businessId: string;
  recordId: string;
  from: string | null;
  callees: string[];
  at: number;
}

/**
 * Rebuilds the records of these SIP Call-IDs from all their stored events
 * (ingestion and the sweep both come here), prices them, and writes them
 * back with their parties' missed flags, in one batch. Returns the calls that
 * turned into missed calls by this rebuild (to tell the callees).
 */
export async function rebuildCalls(db: D1Database, sipCallIds: string[], now: number, sweptAt?: number): Promise<NewlyMissed[]> {
  if (sipCallIds.length === 0) return [];
  const ids = JSON.stringify([...new Set(sipCallIds)]);
  const [calls, events] = await db.batch([
    db.prepare('SELECT * FROM calls WHERE call_id IN (SELECT value FROM json_each(?))').bind(ids),
    db.prepare('SELECT call_id, body FROM call_events WHERE call_id IN (SELECT value FROM json_each(?))').bind(ids),
  ]);
  const byCall = new Map<string, EdgeEvent[]>();
  for (const row of (events?.results ?? []) as Array<{ call_id: string; body: string }>) {
    const parsed = edgeEvent.safeParse(JSON.parse(row.body));
    if (!parsed.success) continue;
    byCall.set(row.call_id, [...(byCall.get(row.call_id) ?? []), parsed.data]);
  }

  const rows = (calls?.results ?? []) as CallRow[];
  // A record the sweep closed stays closed: a late event adds what it says (a real end
  // corrects the record), it never turns the call back into one in progress.
  const records = rows.map((row) => ({
    row,
    built: buildCall(row, byCall.get(row.call_id) ?? [], sweptAt ?? (row.ended_by === 'sweep' ? now : undefined)),
  }));
  // A label already on the record for this Contact is kept (a session's label never changes): only new answers are looked up.
  const answering = records.flatMap(({ row, built }) =>
    built.answered_user_id && !(built.answered_contact === row.answered_contact && row.answered_device !== null)
      ? [{ businessId: row.business_id, userId: built.answered_user_id, contact: built.answered_contact }]
      : [],
  );
  // One query for every destination this rebuild may price, one for the devices that answered, side by side.
  const [rates, deviceLabel] = await Promise.all([
    findRates(
      db,
      rows.filter((r) => r.direction === 'outbound' && r.remote_number).map((r) => ({ plan: r.plan, e164: r.remote_number as string })),
    ),
    answeredDeviceLabels(db, answering),
  ]);

  const updates: Array<Record<string, unknown>> = [];
  const missed: NewlyMissed[] = [];
  const missedIds: string[] = [];
  for (const { row, built } of records) {
    // The device's label as its session said when the call was answered; kept once known (sessions are deleted a month after they end).
    const label = built.answered_user_id
      ? deviceLabel({ businessId: row.business_id, userId: built.answered_user_id, contact: built.answered_contact })
      : null;
    const answeredDevice =
      label ?? (built.answered_user_id && built.answered_contact === row.answered_contact ? row.answered_device : null);
    let price: Price = FREE;
    let rate: Rate | null = null;
    // Only calls to the phone network cost anything; colleagues and incoming calls are free.
    if (row.direction === 'outbound' && row.remote_number && built.duration_ms > 0) {
      rate = rates.get(`${row.plan} ${row.remote_number}`) ?? null;
      if (rate) price = priceCall(built.duration_ms, rate);
    }
    updates.push({
      id: row.id,
      business_id: row.business_id,
      ...built,
      answered_device: answeredDevice,
      billable_seconds: price.billableSeconds,
      rate_prefix: rate?.prefix ?? null,
      rate_millicents_per_minute: rate?.millicentsPerMinute ?? null,
      cost_millicents: price.costMillicents,
      cost_cents: price.costCents,
    });
    const next = { direction: row.direction, outcome: built.outcome };
    if (missedForCallee(next)) missedIds.push(row.id);
    if (missedForCallee(next) && !missedForCallee(row)) {
      missed.push({
        businessId: row.business_id,
        recordId: row.id,
        from: row.remote_number ?? row.caller_user_id,
        callees: [],
        at: built.ended_at ?? now,
      });
    }
  }
  if (updates.length === 0) return [];

  const changed = JSON.stringify(updates.map((u) => [u.business_id, u.id]));
  const results = await db.batch([
    // One statement for every record: D1 counts statements, and a batch of events touches many calls.
    db
      .prepare(
        `UPDATE calls SET
           started_at = u.value ->> 'started_at', ringing_at = u.value ->> 'ringing_at', answered_at = u.value ->> 'answered_at',
           answered_user_id = u.value ->> 'answered_user_id', answered_contact = u.value ->> 'answered_contact',
           answered_device = u.value ->> 'answered_device',
           ended_at = u.value ->> 'ended_at', ended_by = u.value ->> 'ended_by', final_code = u.value ->> 'final_code',
           outcome = u.value ->> 'outcome', duration_ms = u.value ->> 'duration_ms', billable_seconds = u.value ->> 'billable_seconds',
           rate_prefix = u.value ->> 'rate_prefix', rate_millicents_per_minute = u.value ->> 'rate_millicents_per_minute',
           cost_millicents = u.value ->> 'cost_millicents', cost_cents = u.value ->> 'cost_cents', events = u.value ->> 'events',
           updated_at = ?2
         FROM json_each(?1) u WHERE calls.business_id = u.value ->> 'business_id' AND calls.id = u.value ->> 'id'`,
      )
      .bind(JSON.stringify(updates), now),
    // Each party's missed flag follows its record: a callee of a missed call, nobody else.
    db
      .prepare(
        `UPDATE call_parties SET missed = (role = 'callee' AND call_id IN (SELECT value FROM json_each(?2)))
          WHERE rowid IN (SELECT p.rowid FROM json_each(?1) j
                            JOIN call_parties p INDEXED BY call_parties_call ON p.business_id = j.value ->> 0 AND p.call_id = j.value ->> 1)`,
      )
      .bind(changed, JSON.stringify(missedIds)),
    db
      .prepare(
        `SELECT p.call_id, p.user_id FROM json_each(?1) j
           JOIN call_parties p INDEXED BY call_parties_call ON p.business_id = j.value ->> 0 AND p.call_id = j.value ->> 1
          WHERE p.role = 'callee'`,
      )
      .bind(JSON.stringify(missed.map((m) => [m.businessId, m.recordId]))),
  ]);
  const callees = (results[2]?.results ?? []) as Array<{ call_id: string; user_id: string }>;
  for (const m of missed) m.callees = callees.filter((c) => c.call_id === m.recordId).map((c) => c.user_id);
  return missed;
}
