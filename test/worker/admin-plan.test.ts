import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import * as spending from '../../worker/admin/spending';
import { adminOf, auditRows } from './support/admin';
import { json } from './support/api';

describe('admin: plan and spending limit', () => {
  it('reads and changes the plan and the limit, with an audit entry', async () => {
    const a = await adminOf();
    expect(await json(await a.client.get('/api/admin/plan'))).toMatchObject({
      plan: 'licensed',
      spendingLimitCents: null,
      spentCents: 0,
      allowed: true,
    });
    const res = await a.client.patch('/api/admin/plan', { plan: 'payg', spendingLimitCents: 2500 });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ plan: 'payg', spendingLimitCents: 2500, spentCents: 0, allowed: true });
    expect((await auditRows(a.business.id)).map((r) => [r.action, r.target_type, r.before, r.after])).toEqual([
      ['business.plan', 'business', { plan: 'licensed', spendingLimitCents: null }, { plan: 'payg', spendingLimitCents: 2500 }],
    ]);
    // The same values again: nothing to record.
    await a.client.patch('/api/admin/plan', { plan: 'payg', spendingLimitCents: 2500 });
    expect(await auditRows(a.business.id)).toHaveLength(1);
  });

  it('needs a limit for pay as you go, in whole, non-negative cents', async () => {
    const a = await adminOf();
    for (const body of [
      { plan: 'payg', spendingLimitCents: null },
      { plan: 'payg', spendingLimitCents: -1 },
      { plan: 'payg', spendingLimitCents: 1.5 },
      { plan: 'payg', spendingLimitCents: 100_000_001 },
      { plan: 'free', spendingLimitCents: 100 },
    ]) {
      const res = await a.client.patch('/api/admin/plan', body);
      expect({ body, status: res.status }).toEqual({ body, status: 422 });
    }
    const missing = await json(await a.client.patch('/api/admin/plan', { plan: 'payg', spendingLimitCents: null }));
    expect(missing.errors[0].field).toBe('spendingLimitCents');
    expect(await auditRows(a.business.id)).toEqual([]);
  });

  it('spendingAllowance refuses once this month’s spend reaches the limit', async () => {
    const a = await adminOf();
    expect(await spending.spendingAllowance(env.DB, a.business.id)).toEqual({ limitCents: null, spentCents: 0, allowed: true });
    await a.client.patch('/api/admin/plan', { plan: 'payg', spendingLimitCents: 0 });
    // Nothing spent yet (no call records), but a limit of 0 allows nothing.
    expect(await spending.spendingAllowance(env.DB, a.business.id)).toEqual({ limitCents: 0, spentCents: 0, allowed: false });
    await a.client.patch('/api/admin/plan', { plan: 'payg', spendingLimitCents: 1 });
    expect((await spending.spendingAllowance(env.DB, a.business.id)).allowed).toBe(true);
    expect((await json(await a.client.get('/api/admin/plan'))).allowed).toBe(true);
  });

  it('counts the month from the first, midnight UTC', () => {
    expect(spending.monthStart(Date.UTC(2026, 10, 28, 13, 5))).toBe(Date.UTC(2026, 10, 1));
    expect(spending.monthStart(Date.UTC(2027, 0, 1, 0, 0))).toBe(Date.UTC(2027, 0, 1));
  });
});

describe('admin: call recording', () => {
  it('cannot be switched on unless bought', async () => {
    const a = await adminOf();
    expect(await json(await a.client.get('/api/admin/recording'))).toEqual({ purchased: false, enabled: false });
    const res = await a.client.patch('/api/admin/recording', { enabled: true });
    expect(res.status).toBe(409);
    expect((await json(res)).code).toBe('recording_not_purchased');
    expect(
      await env.DB.prepare('SELECT recording_enabled FROM businesses WHERE id = ?').bind(a.business.id).first('recording_enabled'),
    ).toBe(0);
  });

  it('switches on and off when bought, with audit entries', async () => {
    const a = await adminOf({ recordingPurchased: true });
    expect(await json(await a.client.patch('/api/admin/recording', { enabled: true }))).toEqual({ purchased: true, enabled: true });
    expect(await json(await a.client.get('/api/admin/recording'))).toEqual({ purchased: true, enabled: true });
    expect(await json(await a.client.patch('/api/admin/recording', { enabled: false }))).toEqual({ purchased: true, enabled: false });
    expect((await auditRows(a.business.id)).map((r) => [r.action, r.before, r.after])).toEqual([
      ['business.recording', { recordingEnabled: false }, { recordingEnabled: true }],
      ['business.recording', { recordingEnabled: true }, { recordingEnabled: false }],
    ]);
  });

  it('lists this business’s recordings only', async () => {
    const a = await adminOf({ recordingPurchased: true });
    const b = await adminOf({ recordingPurchased: true });
    expect(await json(await a.client.get('/api/admin/recordings'))).toEqual({ recordings: [] });
    await env.DB.prepare('INSERT INTO recordings (id, business_id, call_id, r2_key, duration_ms, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind('rec_1', a.business.id, 'call_1', `recordings/${a.business.id}/rec_1.ogg`, 61_000, 1000)
      .run();
    expect(await json(await a.client.get('/api/admin/recordings'))).toEqual({
      // No call record with that id here: the call's details are null (docs/recording.md).
      recordings: [
        {
          id: 'rec_1',
          callId: 'call_1',
          durationMs: 61_000,
          bytes: 0,
          createdAt: 1000,
          kind: null,
          startedAt: null,
          remoteNumber: null,
          ourNumber: null,
          caller: null,
          answeredBy: null,
        },
      ],
    });
    expect(await json(await b.client.get('/api/admin/recordings'))).toEqual({ recordings: [] });
  });
});

describe('admin: audit log', () => {
  it('pages newest first by keyset, without repeats or gaps', async () => {
    const a = await adminOf();
    for (const ext of ['21', '22', '23', '24', '25']) {
      expect((await a.client.patch(`/api/admin/users/${a.user.id}/extension`, { extension: ext })).status).toBe(200);
    }
    const first = await json(await a.client.get('/api/admin/audit?limit=2'));
    expect(first.entries.map((e: { after: { extension: string } }) => e.after.extension)).toEqual(['25', '24']);
    expect(first.entries[0]).toMatchObject({
      action: 'user.extension',
      actor: { id: a.admin.id, name: 'Admin' },
      target: { type: 'user', id: a.user.id, label: 'User' },
      before: { extension: '24' },
    });
    const second = await json(await a.client.get(`/api/admin/audit?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`));
    expect(second.entries.map((e: { after: { extension: string } }) => e.after.extension)).toEqual(['23', '22']);
    const third = await json(await a.client.get(`/api/admin/audit?limit=2&cursor=${encodeURIComponent(second.nextCursor)}`));
    expect(third.entries.map((e: { after: { extension: string } }) => e.after.extension)).toEqual(['21']);
    expect(third.nextCursor).toBeNull();
  });

  it('refuses a malformed cursor or limit', async () => {
    const a = await adminOf();
    expect((await a.client.get('/api/admin/audit?cursor=nope')).status).toBe(422);
    expect((await a.client.get('/api/admin/audit?limit=1000')).status).toBe(422);
  });
});
