import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
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
});
