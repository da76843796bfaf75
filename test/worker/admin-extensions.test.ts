import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { userForExtension } from '../../worker/admin/extensions';
import { adminOf, auditRows } from './support/admin';
import { json } from './support/api';

describe('admin: extensions', () => {
  it('sets, changes and clears an extension; userForExtension finds the user', async () => {
    const a = await adminOf();
    const res = await a.client.patch(`/api/admin/users/${a.user.id}/extension`, { extension: ' 201 ' });
    expect(res.status).toBe(200);
    expect((await json(res)).extension).toBe('201');
    expect(await userForExtension(env.DB, a.business.id, '201')).toBe(a.user.id);

    expect((await a.client.patch(`/api/admin/users/${a.user.id}/extension`, { extension: '2010' })).status).toBe(200);
    expect(await userForExtension(env.DB, a.business.id, '201')).toBeNull();
    expect(await userForExtension(env.DB, a.business.id, '2010')).toBe(a.user.id);

    expect((await a.client.del(`/api/admin/users/${a.user.id}/extension`)).status).toBe(204);
    expect(await userForExtension(env.DB, a.business.id, '2010')).toBeNull();
    expect((await auditRows(a.business.id)).map((r) => [r.action, r.before, r.after])).toEqual([
      ['user.extension', { extension: null }, { extension: '201' }],
      ['user.extension', { extension: '201' }, { extension: '2010' }],
      ['user.extension', { extension: '2010' }, { extension: null }],
    ]);
  });

  it('keeps extensions unique within a business (409 extension_taken), not across businesses', async () => {
    const a = await adminOf();
    const b = await adminOf();
    expect((await a.client.patch(`/api/admin/users/${a.user.id}/extension`, { extension: '300' })).status).toBe(200);
    const taken = await a.client.patch(`/api/admin/users/${a.admin.id}/extension`, { extension: '300' });
    expect(taken.status).toBe(409);
    const problem = await json(taken);
    expect(problem.code).toBe('extension_taken');
    expect(problem.errors[0].field).toBe('extension');
    expect(await userForExtension(env.DB, a.business.id, '300')).toBe(a.user.id);
    expect((await auditRows(a.business.id)).length).toBe(1);

    expect((await b.client.patch(`/api/admin/users/${b.user.id}/extension`, { extension: '300' })).status).toBe(200);
    expect(await userForExtension(env.DB, b.business.id, '300')).toBe(b.user.id);
    expect(await userForExtension(env.DB, a.business.id, '300')).toBe(a.user.id);
  });

  it('accepts 2 to 6 digits only, and never an emergency number', async () => {
    const a = await adminOf();
    for (const extension of ['1', '1234567', '20a', '', '+44', '999', '112', '911']) {
      const res = await a.client.patch(`/api/admin/users/${a.user.id}/extension`, { extension });
      expect({ extension, status: res.status }).toEqual({ extension, status: 422 });
    }
    for (const extension of ['20', '123456']) {
      expect((await a.client.patch(`/api/admin/users/${a.user.id}/extension`, { extension })).status).toBe(200);
    }
  });

  it('a suspended user’s extension is kept but does not route to them', async () => {
    const a = await adminOf();
    await a.client.patch(`/api/admin/users/${a.user.id}/extension`, { extension: '55' });
    await a.client.post(`/api/admin/users/${a.user.id}/suspend`);
    expect(await userForExtension(env.DB, a.business.id, '55')).toBeNull();
    expect(await json(await a.client.get(`/api/admin/users/${a.user.id}`))).toMatchObject({ extension: '55', status: 'suspended' });
    // Nobody else can take it meanwhile.
    expect((await a.client.patch(`/api/admin/users/${a.admin.id}/extension`, { extension: '55' })).status).toBe(409);
    await a.client.post(`/api/admin/users/${a.user.id}/reactivate`);
    expect(await userForExtension(env.DB, a.business.id, '55')).toBe(a.user.id);
  });
});
