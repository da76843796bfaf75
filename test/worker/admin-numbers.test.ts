import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { callerIdFor } from '../../worker/admin/numbers';
import { addUser, adminOf, auditRows } from './support/admin';
import { json, signedIn } from './support/api';

async function holder(numberId: string) {
  return env.DB.prepare('SELECT assigned_user_id FROM numbers WHERE id = ?').bind(numberId).first<string | null>('assigned_user_id');
}

describe('admin: numbers and overrides', () => {
  it('lists the pool with who holds each number and who calls on it by override', async () => {
    const a = await adminOf();
    await env.DB.prepare("UPDATE numbers SET kind = 'main' WHERE id = ?").bind(a.numberIds[2]).run();
    await signedIn(a.user.email, a.user.password); // takes the first free pool number
    expect((await a.client.patch(`/api/admin/users/${a.admin.id}/override`, { numberId: a.numberIds[2] })).status).toBe(200);
    const { numbers } = await json(await a.client.get('/api/admin/numbers'));
    expect(numbers[0]).toMatchObject({
      id: a.numberIds[2],
      kind: 'main',
      assignedTo: null,
      overrideFor: [{ id: a.admin.id, name: 'Admin' }],
    });
    const held = numbers.find((n: { assignedTo: { id: string } | null }) => n.assignedTo?.id === a.user.id);
    expect(held.assignedTo.name).toBe('User');
  });

  it('assigns a number, moves a user onto another (the old one back in the pool), and unassigns', async () => {
    const a = await adminOf();
    // The admin's sign-in took the first pool number.
    const [n0, n1, n2] = a.numberIds as [string, string, string];
    expect(await holder(n0)).toBe(a.admin.id);
    const res = await a.client.post(`/api/admin/numbers/${n1}/assignment`, { userId: a.user.id });
    expect(res.status).toBe(200);
    expect((await json(res)).assignedTo).toEqual({ id: a.user.id, name: 'User' });
    expect(await callerIdFor(env.DB, a.business.id, a.user.id)).toBe(a.numbers[1]);

    expect((await a.client.post(`/api/admin/numbers/${n2}/assignment`, { userId: a.user.id })).status).toBe(200);
    expect(await holder(n1)).toBeNull();
    expect(await holder(n2)).toBe(a.user.id);

    // Someone else's number is not taken from them.
    const taken = await a.client.post(`/api/admin/numbers/${n2}/assignment`, { userId: a.admin.id });
    expect(taken.status).toBe(409);
    expect((await json(taken)).code).toBe('number_taken');
    expect(await holder(n2)).toBe(a.user.id);
    expect(await holder(n0)).toBe(a.admin.id);

    expect((await a.client.del(`/api/admin/numbers/${n2}/assignment`)).status).toBe(204);
    expect(await holder(n2)).toBeNull();
    expect(await callerIdFor(env.DB, a.business.id, a.user.id)).toBeNull();
    // Unassigning a free number is a no-op, not an entry.
    expect((await a.client.del(`/api/admin/numbers/${n2}/assignment`)).status).toBe(204);

    expect((await auditRows(a.business.id)).map((r) => [r.action, r.target_id, r.before.numberId, r.after.numberId])).toEqual([
      ['number.assign', a.user.id, null, n1],
      ['number.assign', a.user.id, n1, n2],
      ['number.unassign', a.user.id, n2, null],
    ]);
  });

  it('refuses numbers and users of another business with 404', async () => {
    const a = await adminOf();
    const b = await adminOf();
    const free = b.numberIds[1] as string;
    const res = await a.client.post(`/api/admin/numbers/${free}/assignment`, { userId: a.user.id });
    expect(res.status).toBe(404);
    expect((await json(res)).code).toBe('not_found');
    expect((await a.client.patch(`/api/admin/users/${a.user.id}/override`, { numberId: free })).status).toBe(404);
    expect((await a.client.post(`/api/admin/numbers/${a.numberIds[1]}/assignment`, { userId: b.user.id })).status).toBe(404);
    expect(await holder(free)).toBeNull();
    expect(await holder(a.numberIds[1] as string)).toBeNull();
    expect(await auditRows(a.business.id)).toEqual([]);
  });

  it('overrides a user’s number with the main number: callerIdFor returns it; clearing returns their own', async () => {
    const a = await adminOf();
    await env.DB.prepare("UPDATE numbers SET kind = 'main' WHERE id = ?").bind(a.numberIds[2]).run();
    await signedIn(a.user.email, a.user.password);
    const own = await callerIdFor(env.DB, a.business.id, a.user.id);
    expect(own).toMatch(/^\+44/);
    expect(own).not.toBe(a.numbers[2]);

    const res = await a.client.patch(`/api/admin/users/${a.user.id}/override`, { numberId: a.numberIds[2] });
    expect(res.status).toBe(200);
    expect((await json(res)).override).toEqual({ id: a.numberIds[2], e164: a.numbers[2], kind: 'main' });
    expect(await callerIdFor(env.DB, a.business.id, a.user.id)).toBe(a.numbers[2]);
    // The user's own view says so too.
    const user = await signedIn(a.user.email, a.user.password);
    expect((await json(await user.get('/api/me'))).overrideNumber.e164).toBe(a.numbers[2]);

    expect((await a.client.del(`/api/admin/users/${a.user.id}/override`)).status).toBe(204);
    expect(await callerIdFor(env.DB, a.business.id, a.user.id)).toBe(own);
    expect((await auditRows(a.business.id)).map((r) => [r.action, r.before, r.after])).toEqual([
      ['user.override', { overrideNumberId: null, e164: null }, { overrideNumberId: a.numberIds[2], e164: a.numbers[2] }],
      ['user.override', { overrideNumberId: a.numberIds[2], e164: a.numbers[2] }, { overrideNumberId: null, e164: null }],
    ]);
  });

  it('callerIdFor is null for a user without a number, and for another business’s user', async () => {
    const a = await adminOf({ pool: 0 });
    const b = await adminOf();
    const colleague = await addUser(a.business.id);
    expect(await callerIdFor(env.DB, a.business.id, colleague)).toBeNull();
    await signedIn(b.user.email, b.user.password);
    expect(await callerIdFor(env.DB, a.business.id, b.user.id)).toBeNull();
    expect(await callerIdFor(env.DB, b.business.id, b.user.id)).toMatch(/^\+44/);
  });

  it('validates the bodies', async () => {
    const a = await adminOf();
    expect((await a.client.post(`/api/admin/numbers/${a.numberIds[0]}/assignment`, {})).status).toBe(422);
    expect((await a.client.patch(`/api/admin/users/${a.user.id}/override`, { numberId: '' })).status).toBe(422);
  });
});
