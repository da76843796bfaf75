import { env } from 'cloudflare:workers';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../../shared/calls-api';
import { csvField, csvRow } from '../../worker/calls/csv';
import { runMaintenance } from '../../worker/maintenance/cron';
import { maintenanceJobs } from '../../worker/maintenance/jobs';
import { json, seedBusiness, signedIn } from './support/api';
import { deliver, edgeEvent, newCallId, recordOf, route } from './support/calls';
import { assignNumber } from './support/edge';

const EXTERNAL = '+441614960001';
const today = () => new Date().toISOString().slice(0, 10);

async function business() {
  const b = await seedBusiness({ pool: 3, licensed: true });
  await assignNumber(b.business.id, b.numbers[0] as string, b.user.id);
  await assignNumber(b.business.id, b.numbers[1] as string, b.admin.id);
  return { ...b, adminClient: await signedIn(b.admin.email, b.admin.password), userClient: await signedIn(b.user.email, b.user.password) };
}
/** An answered call of `seconds` from `from` to the phone network; returns the record id. */
async function outbound(from: string, seconds: number) {
  const callId = newCallId();
  await route(callId, { source: 'client', fromUser: from, to: EXTERNAL });
  const t0 = Date.now() - 300_000;
  await deliver([edgeEvent(callId, 'answer', t0), edgeEvent(callId, 'end', t0 + seconds * 1000, { by: 'callee' })]);
  return (await recordOf(callId))?.id as string;
}

describe('GET /api/admin/calls: the business’s records', () => {
  it('by date range and by user, newest first, with names and costs', async () => {
    const b = await business();
    await env.DB.prepare("UPDATE users SET name = 'Uma User' WHERE id = ?").bind(b.user.id).run();
    const byUser = await outbound(b.user.id, 61);
    const byAdmin = await outbound(b.admin.id, 10);
    const all = await json(await b.adminClient.get(`/api/admin/calls?from=${today()}&to=${today()}`));
    expect(all.calls.map((c: { id: string }) => c.id)).toEqual([byAdmin, byUser]);
    expect(all.calls[1]).toMatchObject({
      caller: { userId: b.user.id, name: 'Uma User' },
      costCents: 2,
      billableSeconds: 120,
      plan: 'licensed',
    });
    const one = await json(await b.adminClient.get(`/api/admin/calls?from=${today()}&to=${today()}&userId=${b.user.id}`));
    expect(one.calls.map((c: { id: string }) => c.id)).toEqual([byUser]);
    expect((await json(await b.adminClient.get('/api/admin/calls?from=2001-01-01&to=2001-01-31'))).calls).toEqual([]);
  });

  it('pages by cursor', async () => {
    const b = await business();
    const ids = [await outbound(b.user.id, 1), await outbound(b.user.id, 1), await outbound(b.user.id, 1)];
    const first = await json(await b.adminClient.get(`/api/admin/calls?from=${today()}&to=${today()}&limit=2`));
    const second = await json(await b.adminClient.get(`/api/admin/calls?from=${today()}&to=${today()}&limit=2&cursor=${first.next}`));
    expect([...first.calls, ...second.calls].map((c: { id: string }) => c.id)).toEqual([...ids].reverse());
    expect(second.next).toBeNull();
  });

  it('validates the range', async () => {
    const b = await business();
    for (const q of ['', '?from=2026-01-02&to=2026-01-01', '?from=2020-01-01&to=2026-01-01', '?from=yesterday&to=today']) {
      expect((await b.adminClient.get(`/api/admin/calls${q}`)).status).toBe(422);
    }
  });

  it('admins only, of their own business: a user is refused; another business’s user is a 404; their records never show', async () => {
    const a = await business();
    const other = await business();
    await outbound(a.user.id, 5);
    expect((await a.userClient.get(`/api/admin/calls?from=${today()}&to=${today()}`)).status).toBe(403);
    expect((await a.userClient.get(`/api/admin/calls/export.csv?from=${today()}&to=${today()}`)).status).toBe(403);
    expect((await other.adminClient.get(`/api/admin/calls?from=${today()}&to=${today()}&userId=${a.user.id}`)).status).toBe(404);
    expect((await json(await other.adminClient.get(`/api/admin/calls?from=${today()}&to=${today()}`))).calls).toEqual([]);
    const csv = await (await other.adminClient.get(`/api/admin/calls/export.csv?from=${today()}&to=${today()}`)).text();
    expect(csv).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
    expect(await (await other.adminClient.get(`/api/admin/calls/export.json?from=${today()}&to=${today()}`)).json()).toEqual([]);
  });
});

describe('the billing export', () => {
  it('CSV: RFC 4180 quoting, CRLF, and no formulas a spreadsheet would run', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    for (const risky of ['=1+1', '+441614960001', '-2', '@SUM(A1)', '\tx', '\rx']) expect(csvField(risky)).toMatch(/^"?'/);
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
    expect(csvRow(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('streams every record of the range as CSV (header, UTF-8, CRLF) and as JSON, the same rows', async () => {
    const b = await business();
    await env.DB.prepare('UPDATE users SET name = ? WHERE id = ?').bind('=cmd|" /C calc"!A0, Zoë', b.user.id).run();
    const ids = [await outbound(b.user.id, 61), await outbound(b.admin.id, 7)];
    const res = await b.adminClient.get(`/api/admin/calls/export.csv?from=${today()}&to=${today()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="calls-${today()}-to-${today()}.csv"`);
    const text = await res.text();
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(4);
    const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data.map((r) => r.id)).toEqual(ids);
    expect(parsed.data[0]).toMatchObject({
      caller_name: `'=cmd|" /C calc"!A0, Zoë`,
      remote_number: `'${EXTERNAL}`,
      duration_seconds: '61',
      billable_seconds: '120',
      cost_cents: '2',
      outcome: 'answered',
      direction: 'outbound',
    });

    const data = await json(await b.adminClient.get(`/api/admin/calls/export.json?from=${today()}&to=${today()}`));
    expect(data.map((r: { id: string }) => r.id)).toEqual(ids);
    expect(Object.keys(data[0])).toEqual([...EXPORT_COLUMNS]);
    expect(data[0]).toMatchObject({ caller_name: '=cmd|" /C calc"!A0, Zoë', remote_number: EXTERNAL, cost_cents: 2 });
  });
});

describe('the sweep closes calls left open', () => {
  it('unanswered after an hour, answered after the edge’s 12-hour dialog limit, from what is known; others left alone', async () => {
    const b = await business();
    const now = Date.now();
    const hours = (h: number) => now - h * 3_600_000;
    const make = async (routedAt: number) => {
      const callId = newCallId();
      await route(callId, { source: 'client', fromUser: b.user.id, to: EXTERNAL });
      await env.DB.prepare('UPDATE calls SET routed_at = ? WHERE call_id = ?').bind(routedAt, callId).run();
      return callId;
    };
    const talking = await make(hours(13));
    const longCall = await make(hours(7));
    const ringing = await make(hours(2));
    const silent = await make(hours(2));
    const young = await make(hours(0.5));
    const done = await make(hours(13));
    await deliver([edgeEvent(talking, 'start', hours(13)), edgeEvent(talking, 'answer', hours(13) + 5000)]);
    await deliver([edgeEvent(longCall, 'start', hours(7)), edgeEvent(longCall, 'answer', hours(7) + 5000)]);
    await deliver([edgeEvent(ringing, 'start', hours(2)), edgeEvent(ringing, 'ringing', hours(2) + 100)]);
    await deliver([edgeEvent(young, 'start', hours(0.5))]);
    await deliver([edgeEvent(done, 'answer', hours(13)), edgeEvent(done, 'end', hours(13) + 90_000, { by: 'caller' })]);
    const doneBefore = await recordOf(done);

    const results = await runMaintenance(env, Date.now(), maintenanceJobs, () => {});
    expect(results.calls_open).toBe(3);
    // Answered but never ended: closed at the last thing we know, nothing billed we cannot show.
    const t = hours(13);
    expect(await recordOf(talking)).toMatchObject({
      outcome: 'answered',
      ended_by: 'sweep',
      ended_at: t + 5000,
      duration_ms: 0,
      cost_cents: 0,
    });
    expect(await recordOf(ringing)).toMatchObject({ outcome: 'missed', ended_by: 'sweep' });
    expect(await recordOf(silent)).toMatchObject({ outcome: 'failed', ended_by: 'sweep' });
    // A call answered 7 hours ago may still be going on (the edge ends dialogs at 12 hours); a young one may still ring.
    expect(await recordOf(longCall)).toMatchObject({ outcome: 'answered', ended_at: null });
    expect(await recordOf(young)).toMatchObject({ outcome: null, ended_at: null });
    expect(await recordOf(done)).toEqual(doneBefore);
    // A second run finds nothing left to close.
    expect((await runMaintenance(env, Date.now(), maintenanceJobs, () => {})).calls_open).toBe(0);

    // A late event (held in the edge's spool) does not reopen a call the sweep closed…
    await deliver([edgeEvent(talking, 'ringing', t + 300, { code: 180 })]);
    expect(await recordOf(talking)).toMatchObject({ outcome: 'answered', ended_by: 'sweep', ended_at: t + 5000, events: 3 });
    // …and its real end, when it comes, completes it: the time talked is billed.
    await deliver([edgeEvent(talking, 'end', t + 65_000, { by: 'callee' })]);
    expect(await recordOf(talking)).toMatchObject({ outcome: 'answered', ended_by: 'callee', ended_at: t + 65_000, duration_ms: 60_000 });
    expect((await recordOf(talking))?.cost_cents).toBeGreaterThan(0);
  });

  it('drops unattributed events after a week', async () => {
    const orphan = newCallId();
    await deliver([edgeEvent(orphan, 'start', Date.now() - 1000)]);
    await env.DB.prepare('UPDATE call_events SET received_at = ? WHERE call_id = ?')
      .bind(Date.now() - 8 * 86_400_000, orphan)
      .run();
    const results = await runMaintenance(env, Date.now(), maintenanceJobs, () => {});
    expect(results.call_events_unattributed).toBe(1);
  });
});
