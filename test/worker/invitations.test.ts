import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { auditRows } from './support/admin';
import { Client, json, seedBusiness, signedIn, tokenIn, waitForMessage } from './support/api';

describe('invitations', () => {
  it('an admin invites by email; the link shows the business and accepting joins it with a number', async () => {
    const { admin, business, numbers } = await seedBusiness();
    const adminClient = await signedIn(admin.email, admin.password);
    const res = await adminClient.post('/api/admin/invitations', { email: 'New.Hire@Elsewhere.example', role: 'admin', name: 'New Hire' });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ email: 'new.hire@elsewhere.example', role: 'admin', status: 'pending' });

    const token = tokenIn((await waitForMessage('new.hire@elsewhere.example')).body);
    const invitee = new Client();
    const preview = await json(await invitee.get(`/api/invitations/${token}`));
    expect(preview).toMatchObject({ businessName: business.name, email: 'new.hire@elsewhere.example', name: 'New Hire' });

    const accepted = await invitee.post('/api/invitations/accept', { token, name: 'New Hire', password: 'joining the team today' });
    expect(accepted.status).toBe(201);
    const me = await json(accepted);
    expect(me.business.id).toBe(business.id);
    expect(me.user).toMatchObject({ role: 'admin', email: 'new.hire@elsewhere.example' });
    expect(numbers).toContain(me.number.e164);
    // No seat was free (the seeded business bought none): signed in, but not licensed to call.
    expect((await json(await invitee.get('/api/me/features'))).calling).toBe(false);
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM user_licences WHERE user_id = ?').bind(me.user.id).first('n')).toBe(0);
    // Once.
    expect((await new Client().post('/api/invitations/accept', { token, name: 'Again', password: 'joining the team again' })).status).toBe(
      404,
    );
  });

  it('gives the new member a free seat when the business has one', async () => {
    const { admin, business } = await seedBusiness();
    await env.DB.prepare('UPDATE businesses SET seats = 3 WHERE id = ?').bind(business.id).run();
    const adminClient = await signedIn(admin.email, admin.password);
    await adminClient.post('/api/admin/invitations', { email: 'seated@x.example' });
    const token = tokenIn((await waitForMessage('seated@x.example')).body);
    const invitee = new Client();
    expect((await invitee.post('/api/invitations/accept', { token, name: 'Seated', password: 'a seat for me please' })).status).toBe(201);
    expect(await json(await invitee.get('/api/me/features'))).toMatchObject({ calling: true, sms: true, voicemail: true });
  });

  it('refuses non-admins, expired invitations and existing members', async () => {
    const { admin, user } = await seedBusiness();
    const userClient = await signedIn(user.email, user.password);
    const forbidden = await userClient.post('/api/admin/invitations', { email: 'x@y.example' });
    expect(forbidden.status).toBe(403);
    expect((await json(forbidden)).code).toBe('forbidden');
    expect((await userClient.get('/api/admin/invitations')).status).toBe(403);

    const adminClient = await signedIn(admin.email, admin.password);
    expect((await json(await adminClient.post('/api/admin/invitations', { email: user.email }))).code).toBe('already_member');
    expect((await adminClient.post('/api/admin/invitations', { role: 'user' })).status).toBe(422);

    await adminClient.post('/api/admin/invitations', { email: 'late@x.example' });
    const token = tokenIn((await waitForMessage('late@x.example')).body);
    await env.DB.prepare("UPDATE invitations SET expires_at = ? WHERE email = 'late@x.example'")
      .bind(Date.now() - 1)
      .run();
    expect((await new Client().get(`/api/invitations/${token}`)).status).toBe(404);
    const listed = await json(await adminClient.get('/api/admin/invitations'));
    expect(listed.invitations.find((i: { email: string }) => i.email === 'late@x.example').status).toBe('expired');
  });

  it('an admin revokes a pending invitation and its link stops working', async () => {
    const { admin } = await seedBusiness();
    const adminClient = await signedIn(admin.email, admin.password);
    const inv = await json(await adminClient.post('/api/admin/invitations', { email: 'revoked@x.example' }));
    const token = tokenIn((await waitForMessage('revoked@x.example')).body);
    expect((await adminClient.del(`/api/admin/invitations/${inv.id}`)).status).toBe(204);
    expect((await new Client().get(`/api/invitations/${token}`)).status).toBe(404);
    expect((await adminClient.del(`/api/admin/invitations/${inv.id}`)).status).toBe(404);
  });

  it('inviting and revoking are in the change log, whom for looked up when read, not stored', async () => {
    const { admin, business } = await seedBusiness();
    const adminClient = await signedIn(admin.email, admin.password);
    const inv = await json(
      await adminClient.post('/api/admin/invitations', {
        email: 'audited@x.example',
        mobile: '+12025559101',
        role: 'admin',
        name: 'Aud Ited',
      }),
    );
    const byPhone = await json(await adminClient.post('/api/admin/invitations', { mobile: '+12025559102' }));
    expect((await adminClient.del(`/api/admin/invitations/${inv.id}`)).status).toBe(204);
    const rows = await auditRows(business.id);
    expect(rows.map((r) => [r.actor_user_id, r.action, r.target_type, r.target_id, r.before, r.after])).toEqual([
      [admin.id, 'invitation.send', 'invitation', inv.id, {}, { status: 'pending', role: 'admin', via: ['email', 'mobile'] }],
      [admin.id, 'invitation.send', 'invitation', byPhone.id, {}, { status: 'pending', role: 'user', via: ['mobile'] }],
      [admin.id, 'invitation.revoke', 'invitation', inv.id, { status: 'pending' }, { status: 'revoked' }],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/audited@|Aud Ited|5559101|5559102/);

    // The name when the admin gave one, else the address. (Sorted: entries of the same millisecond have no order.)
    const page = await json(await adminClient.get('/api/admin/audit'));
    const seen = page.entries.map((e: { action: string; target: unknown }) => JSON.stringify([e.action, e.target]));
    expect(seen.sort()).toEqual(
      [
        ['invitation.revoke', { type: 'invitation', id: inv.id, label: 'Aud Ited' }],
        ['invitation.send', { type: 'invitation', id: byPhone.id, label: '+12025559102' }],
        ['invitation.send', { type: 'invitation', id: inv.id, label: 'Aud Ited' }],
      ]
        .map((x) => JSON.stringify(x))
        .sort(),
    );
  });

  it('writes no entry for an invitation refused, nor for a revoke that finds nothing pending', async () => {
    const { admin, business, user } = await seedBusiness();
    const adminClient = await signedIn(admin.email, admin.password);
    expect((await adminClient.post('/api/admin/invitations', { email: user.email })).status).toBe(409);
    expect((await adminClient.del('/api/admin/invitations/inv_nothing_here')).status).toBe(404);

    // Accepted: no longer revocable.
    await adminClient.post('/api/admin/invitations', { email: 'taken@x.example' });
    const token = tokenIn((await waitForMessage('taken@x.example')).body);
    await new Client().post('/api/invitations/accept', { token, name: 'Taken', password: 'already joined the team' });
    const [accepted] = (await json(await adminClient.get('/api/admin/invitations'))).invitations;
    expect(accepted.status).toBe('accepted');
    expect((await adminClient.del(`/api/admin/invitations/${accepted.id}`)).status).toBe(404);
    expect((await auditRows(business.id)).map((r) => r.action)).toEqual(['invitation.send']);
  });

  it('two admins revoking at once: one revokes, the other gets 404, and the log has one entry', async () => {
    const { admin, business } = await seedBusiness();
    const adminClient = await signedIn(admin.email, admin.password);
    const other = await signedIn(admin.email, admin.password);
    const inv = await json(await adminClient.post('/api/admin/invitations', { email: 'twice@x.example' }));
    const statuses = await Promise.all([
      adminClient.del(`/api/admin/invitations/${inv.id}`),
      other.del(`/api/admin/invitations/${inv.id}`),
    ]);
    expect(statuses.map((r) => r.status).sort()).toEqual([204, 404]);
    expect((await auditRows(business.id)).map((r) => r.action)).toEqual(['invitation.send', 'invitation.revoke']);
  });

  it('revokes an expired invitation too, and says it had expired', async () => {
    const { admin, business } = await seedBusiness();
    const adminClient = await signedIn(admin.email, admin.password);
    const inv = await json(await adminClient.post('/api/admin/invitations', { email: 'lapsed@x.example' }));
    await env.DB.prepare('UPDATE invitations SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, inv.id)
      .run();
    expect((await adminClient.del(`/api/admin/invitations/${inv.id}`)).status).toBe(204);
    expect((await auditRows(business.id)).at(-1)).toMatchObject({ action: 'invitation.revoke', before: { status: 'expired' } });
  });
});
