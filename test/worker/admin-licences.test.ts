import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { featuresFor, requireFeature, takeFreeSeat } from '../../worker/admin/licences';
import { requireSession } from '../../worker/auth/middleware';
import type { AppEnv } from '../../worker/platform/context';
import { onError } from '../../worker/platform/errors';
import { requestId } from '../../worker/platform/middleware';
import { addUser, adminOf, auditRows } from './support/admin';
import { json, signedIn } from './support/api';
import { openLive } from './support/live-socket';

const NONE = { calling: false, sms: false, voicemail: false, recording: false };
const DEFAULT = { calling: true, sms: true, voicemail: true, recording: false };

describe('admin: licences', () => {
  it('gives seats up to the number bought, then 409 no_free_seat; freeing one lets the next in', async () => {
    const a = await adminOf({ seats: 2 });
    const third = await addUser(a.business.id);
    expect(await json(await a.client.get('/api/admin/licences'))).toEqual({ seats: 2, used: 0, recordingPurchased: false });

    const first = await a.client.post(`/api/admin/users/${a.admin.id}/licence`, {});
    expect(first.status).toBe(201);
    expect((await json(first)).licence).toEqual(DEFAULT);
    expect((await a.client.post(`/api/admin/users/${a.user.id}/licence`, { sms: false })).status).toBe(201);
    const full = await a.client.post(`/api/admin/users/${third}/licence`, {});
    expect(full.status).toBe(409);
    expect((await json(full)).code).toBe('no_free_seat');
    expect(await json(await a.client.get('/api/admin/licences'))).toMatchObject({ seats: 2, used: 2 });

    const again = await a.client.post(`/api/admin/users/${a.user.id}/licence`, {});
    expect((await json(again)).code).toBe('already_licensed');

    expect((await a.client.del(`/api/admin/users/${a.user.id}/licence`)).status).toBe(204);
    expect((await a.client.post(`/api/admin/users/${third}/licence`, {})).status).toBe(201);
    expect((await auditRows(a.business.id)).map((r) => [r.action, r.target_id, r.before, r.after])).toEqual([
      ['user.licence', a.admin.id, { licence: null }, { licence: DEFAULT }],
      ['user.licence', a.user.id, { licence: null }, { licence: { ...DEFAULT, sms: false } }],
      ['user.licence', a.user.id, { licence: { ...DEFAULT, sms: false } }, { licence: null }],
      ['user.licence', third, { licence: null }, { licence: DEFAULT }],
    ]);
  });

  it('never gives out more seats than bought, even when asked at once', async () => {
    const a = await adminOf({ seats: 1 });
    const others = await Promise.all([addUser(a.business.id), addUser(a.business.id), addUser(a.business.id)]);
    const results = await Promise.all(others.map((id) => a.client.post(`/api/admin/users/${id}/licence`, {})));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(await json(await a.client.get('/api/admin/licences'))).toMatchObject({ used: 1 });
    expect(await auditRows(a.business.id)).toHaveLength(1);
  });

  it('turns a feature off: featuresFor says so and GET /api/me/features reflects it', async () => {
    const a = await adminOf({ seats: 2 });
    const user = await signedIn(a.user.email, a.user.password);
    expect(await json(await user.get('/api/me/features'))).toEqual(NONE);
    expect(await featuresFor(env.DB, a.business.id, a.user.id)).toEqual(NONE);

    await a.client.post(`/api/admin/users/${a.user.id}/licence`, {});
    expect(await json(await user.get('/api/me/features'))).toEqual(DEFAULT);

    const res = await a.client.patch(`/api/admin/users/${a.user.id}/licence`, { sms: false, voicemail: false });
    expect(res.status).toBe(200);
    expect((await json(res)).licence).toEqual({ ...DEFAULT, sms: false, voicemail: false });
    expect(await featuresFor(env.DB, a.business.id, a.user.id)).toEqual({ ...DEFAULT, sms: false, voicemail: false });
    expect(await json(await user.get('/api/me/features'))).toEqual({ ...DEFAULT, sms: false, voicemail: false });
    expect((await auditRows(a.business.id)).at(-1)).toMatchObject({
      action: 'user.licence',
      before: { licence: DEFAULT },
      after: { licence: { ...DEFAULT, sms: false, voicemail: false } },
    });

    // Taking the seat back takes every feature.
    await a.client.del(`/api/admin/users/${a.user.id}/licence`);
    expect(await json(await user.get('/api/me/features'))).toEqual(NONE);
    const none = await a.client.patch(`/api/admin/users/${a.user.id}/licence`, { sms: true });
    expect((await json(none)).code).toBe('no_seat');
  });

  it('GET /api/me/features needs a session', async () => {
    const a = await adminOf();
    const res = await a.client.call('GET', '/api/me/features', undefined, { Cookie: '' });
    expect(res.status).toBe(401);
  });

  it('refuses an API call for a feature that is off (requireFeature)', async () => {
    const a = await adminOf({ seats: 1 });
    await a.client.post(`/api/admin/users/${a.admin.id}/licence`, { sms: false });
    // A stand-in for a feature's routes (SMS sending is another issue's).
    const smsRoutes = new Hono<AppEnv>()
      .use(requestId, requireSession, requireFeature('sms'))
      .get('/', (c) => c.text('sent'))
      .onError(onError);
    const request = () => new Request('https://app.test/', { headers: { Cookie: a.client.cookie ?? '' } });
    const refused = await smsRoutes.fetch(request(), env, createExecutionContext());
    expect(refused.status).toBe(403);
    expect((await refused.json<{ code: string }>()).code).toBe('feature_not_licensed');
    await a.client.patch(`/api/admin/users/${a.admin.id}/licence`, { sms: true });
    expect((await smsRoutes.fetch(request(), env, createExecutionContext())).status).toBe(200);
  });

  it('tells the user’s devices live when their licence changes', async () => {
    const a = await adminOf({ seats: 1 });
    const user = await signedIn(a.user.email, a.user.password);
    const socket = await openLive(user);
    await socket.hello();
    await a.client.post(`/api/admin/users/${a.user.id}/licence`, {});
    const message = await socket.next((m) => m.type === 'event' && m.event.kind === 'licence_changed');
    expect(message).toMatchObject({ type: 'event', event: { kind: 'licence_changed' } });
    await a.client.patch(`/api/admin/users/${a.user.id}/licence`, { calling: false });
    await socket.next((m) => m.type === 'event' && m.event.kind === 'licence_changed');
    socket.close();
  });

  it('recording: only when the business bought it and switched it on', async () => {
    const a = await adminOf({ seats: 2 });
    const refused = await a.client.post(`/api/admin/users/${a.user.id}/licence`, { recording: true });
    expect(refused.status).toBe(409);
    expect((await json(refused)).code).toBe('recording_not_purchased');
    expect(await json(await a.client.get('/api/admin/licences'))).toMatchObject({ used: 0 });

    await env.DB.prepare('UPDATE businesses SET recording_purchased = 1 WHERE id = ?').bind(a.business.id).run();
    expect((await a.client.post(`/api/admin/users/${a.user.id}/licence`, { recording: true })).status).toBe(201);
    // Bought and on the seat, but the business switch is off.
    expect((await featuresFor(env.DB, a.business.id, a.user.id)).recording).toBe(false);
    expect((await a.client.patch('/api/admin/recording', { enabled: true })).status).toBe(200);
    expect((await featuresFor(env.DB, a.business.id, a.user.id)).recording).toBe(true);
    expect((await a.client.patch('/api/admin/recording', { enabled: false })).status).toBe(200);
    expect((await featuresFor(env.DB, a.business.id, a.user.id)).recording).toBe(false);
  });

  it('a suspended user, or a user of a suspended business, has no features', async () => {
    const a = await adminOf({ seats: 2 });
    await a.client.post(`/api/admin/users/${a.user.id}/licence`, {});
    await a.client.post(`/api/admin/users/${a.user.id}/suspend`);
    expect(await featuresFor(env.DB, a.business.id, a.user.id)).toEqual(NONE);
    await a.client.post(`/api/admin/users/${a.user.id}/reactivate`);
    expect(await featuresFor(env.DB, a.business.id, a.user.id)).toEqual(DEFAULT);
    await env.DB.prepare("UPDATE businesses SET status = 'suspended' WHERE id = ?").bind(a.business.id).run();
    expect(await featuresFor(env.DB, a.business.id, a.user.id)).toEqual(NONE);
    // And another business's id never reads this user's seat.
    const b = await adminOf();
    expect(await featuresFor(env.DB, b.business.id, a.user.id)).toEqual(NONE);
  });

  it('validates licence bodies', async () => {
    const a = await adminOf({ seats: 2 });
    expect((await a.client.post(`/api/admin/users/${a.user.id}/licence`, { sms: 'yes' })).status).toBe(422);
    expect((await a.client.post(`/api/admin/users/${a.user.id}/licence`, { fax: true })).status).toBe(422);
  });

  it('takeFreeSeat gives a seat only while one is free', async () => {
    const a = await adminOf({ seats: 1 });
    await env.DB.batch([takeFreeSeat(env.DB, a.business.id, a.user.id), takeFreeSeat(env.DB, a.business.id, a.admin.id)]);
    expect(await featuresFor(env.DB, a.business.id, a.user.id)).toEqual(DEFAULT);
    expect(await featuresFor(env.DB, a.business.id, a.admin.id)).toEqual(NONE);
    // Twice for the same user is harmless.
    await takeFreeSeat(env.DB, a.business.id, a.user.id).run();
  });
});
