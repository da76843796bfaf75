import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/admin-api';
import type { InvitationInfo, Me } from '../../shared/auth-api';
import type { AdminAlert } from '../../web/src/admin/AlertsSection';
import { App } from '../../web/src/app/App';
import { adminRoutes, anAdminWorld, fakeApiWithQuery, openAdminPage } from './support/fake-admin';
import { aMe, type fakeApi, json, noContent, problem } from './support/fake-api';
import { description, press, type } from './support/ui';

const now = Date.now();
const DAY = 86_400_000;

const pending: InvitationInfo = {
  id: 'inv-1',
  email: 'charles@example.com',
  mobile: null,
  name: 'Charles Babbage',
  role: 'admin',
  createdAt: now - DAY,
  expiresAt: now + 7 * DAY - 60_000,
  status: 'pending',
};
const accepted: InvitationInfo = {
  id: 'inv-0',
  email: null,
  mobile: '+447700900456',
  name: null,
  role: 'user',
  createdAt: now - 20 * DAY,
  expiresAt: now - 13 * DAY,
  status: 'accepted',
};

const poolEmpty: AdminAlert = {
  id: 'alr-1',
  kind: 'number_pool_empty',
  message: 'A user signed in but the number pool has no free number. Add numbers to the pool.',
  createdAt: now - 3_600_000,
  resolvedAt: null,
};

/** The admin page with a fake server holding the invitations (a POST adds one, a DELETE revokes). */
async function openAdmin(
  routes: Parameters<typeof fakeApi>[0] = {},
  { user = aMe({ role: 'admin' }), alerts = [] as AdminAlert[], invitations = [pending, accepted] } = {},
) {
  const held = [...invitations];
  // The other sections' routes answer from a small fake business, so that they show data, not errors.
  const api = fakeApiWithQuery((query) => ({
    ...adminRoutes(anAdminWorld(), query),
    'GET /api/me': () => json(200, user),
    'GET /api/admin/alerts': () => json(200, { alerts }),
    'GET /api/admin/invitations': () => json(200, { invitations: held }),
    'POST /api/admin/invitations': (req) => {
      const body = req.body as { email?: string; mobile?: string; name?: string; role: 'user' | 'admin' };
      const created: InvitationInfo = {
        id: `inv-${held.length + 1}`,
        email: body.email ?? null,
        mobile: body.mobile ?? null,
        name: body.name ?? null,
        role: body.role,
        createdAt: Date.now(),
        expiresAt: Date.now() + 7 * DAY,
        status: 'pending',
      };
      held.unshift(created);
      return json(201, created);
    },
    'DELETE /api/admin/invitations/:id': (_req, { id }) => {
      const i = held.findIndex((x) => x.id === id);
      held[i] = { ...(held[i] as InvitationInfo), status: 'revoked' };
      return noContent();
    },
    ...routes,
  }));
  history.replaceState(null, '', '/admin');
  render(<App />);
  await screen.findByRole('heading', { level: 1, name: 'Business settings' });
  return api;
}

function region(name: string) {
  return within(screen.getByRole('region', { name }));
}

describe('the admin page', () => {
  it('shows open alerts in a section of their own, the empty number pool first and marked', async () => {
    const older: AdminAlert = {
      id: 'alr-0',
      kind: 'fraud_suspected',
      message: 'Calls to premium numbers.',
      createdAt: now,
      resolvedAt: null,
    };
    const resolved: AdminAlert = { ...older, id: 'alr-9', message: 'Fixed long ago.', resolvedAt: now };
    await openAdmin({}, { alerts: [older, poolEmpty, resolved] });
    const alerts = await screen.findByRole('region', { name: 'Needs your attention' });
    const items = within(alerts).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]?.textContent).toContain('No free phone numbers');
    expect(items[0]?.textContent).toContain(poolEmpty.message);
    expect(items[0]?.className).toContain('admin-alert-urgent');
    expect(items[1]?.textContent).toContain('Calls to premium numbers.');
    expect(within(alerts).queryByText('Fixed long ago.')).toBeNull();
  });

  it('shows no alerts section when there are none', async () => {
    const api = await openAdmin();
    await region('Invitations').findByText('charles@example.com');
    await waitFor(() => expect(api.calls('GET /api/admin/alerts')).toHaveLength(1));
    expect(screen.queryByRole('region', { name: 'Needs your attention' })).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('lists invitations with their role, status and expiry in words; only pending ones can be revoked', async () => {
    await openAdmin();
    const list = region('Invitations');
    const items = await list.findAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]?.textContent).toContain('charles@example.com');
    expect(items[0]?.textContent).toContain('Charles Babbage');
    expect(items[0]?.textContent).toContain('Admin');
    expect(items[0]?.textContent).toContain('Pending, expires in 7 days');
    expect(items[1]?.textContent).toContain('+447700900456');
    expect(items[1]?.textContent).toContain('Accepted');
    expect(within(items[1] as HTMLElement).queryByRole('button')).toBeNull();
  });

  it('invites by email with the right body, and the new invitation appears in the list', async () => {
    const api = await openAdmin();
    await region('Invitations').findByText('charles@example.com');
    const invite = region('Invite people');
    expect((invite.getByLabelText('Email') as HTMLInputElement).checked).toBe(true);
    expect((invite.getByLabelText('User') as HTMLInputElement).checked).toBe(true);
    type('Work email', 'grace@example.com');
    press('Send invitation');
    expect(await invite.findByText('Invitation sent to grace@example.com.')).toBeTruthy();
    expect(api.calls('POST /api/admin/invitations')[0]?.body).toEqual({ email: 'grace@example.com', role: 'user' });
    await region('Invitations').findByText('grace@example.com');
    expect(api.calls('GET /api/admin/invitations')).toHaveLength(2);
    // Inviting is an audited change: the change log lists again with it.
    await waitFor(() => expect(api.calls('GET /api/admin/audit')).toHaveLength(2));
    expect((screen.getByLabelText('Work email') as HTMLInputElement).value).toBe('');
  });

  it('invites an admin by mobile with a name', async () => {
    const api = await openAdmin();
    fireEvent.click(screen.getByLabelText('Mobile'));
    expect(screen.queryByLabelText('Work email')).toBeNull();
    type('Mobile number', '07700 900789');
    type('Name (optional)', 'Grace Hopper');
    fireEvent.click(screen.getByLabelText('Admin'));
    press('Send invitation');
    await region('Invitations').findByText('07700 900789');
    expect(api.calls('POST /api/admin/invitations')[0]?.body).toEqual({ mobile: '07700 900789', name: 'Grace Hopper', role: 'admin' });
  });

  it('shows a field error from the server next to the field', async () => {
    const message = 'Enter a valid phone number, with the country code if it is not from here (e.g. +44 7700 900123).';
    await openAdmin({
      'POST /api/admin/invitations': () =>
        problem(422, 'validation_failed', {
          detail: 'Correct the fields listed in errors.',
          errors: [{ field: 'mobile', code: 'invalid_phone_number', message }],
        }),
    });
    fireEvent.click(screen.getByLabelText('Mobile'));
    const input = type('Mobile number', '12');
    press('Send invitation');
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(description(input)).toContain(message);
    await waitFor(() => expect(document.activeElement).toBe(input));
    expect(within(screen.getByRole('alert')).getByText('Check the fields marked below.')).toBeTruthy();
  });

  it('shows a role error next to the role choice', async () => {
    await openAdmin({
      'POST /api/admin/invitations': () =>
        problem(422, 'validation_failed', { errors: [{ field: 'role', code: 'invalid', message: 'Choose user or admin.' }] }),
    });
    type('Work email', 'grace@example.com');
    press('Send invitation');
    const group = await screen.findByRole('group', { name: 'Role' });
    await waitFor(() => expect(description(group)).toContain('Choose user or admin.'));
  });

  it('says why when the person is already in the business', async () => {
    await openAdmin({
      'POST /api/admin/invitations': () =>
        problem(409, 'already_member', {
          title: 'Already in your business',
          detail: 'Someone in your business already has this email or mobile number.',
        }),
    });
    type('Work email', 'ada@example.com');
    press('Send invitation');
    const alert = await region('Invite people').findByRole('alert');
    expect(alert.textContent).toBe('Someone in your business already has this email or mobile number.');
    expect((screen.getByLabelText('Work email') as HTMLInputElement).value).toBe('ada@example.com');
  });

  it('revokes a pending invitation by its id and lists the invitations again', async () => {
    const api = await openAdmin();
    const revoke = await region('Invitations').findByRole('button', { name: 'Revoke invitation for charles@example.com' });
    fireEvent.click(revoke);
    await region('Invitations').findByText('Revoked');
    expect(api.calls('DELETE /api/admin/invitations/inv-1')).toHaveLength(1);
    expect(api.calls('GET /api/admin/invitations')).toHaveLength(2);
    expect(region('Invitations').queryByRole('button', { name: /^Revoke/ })).toBeNull();
    await waitFor(() => expect(api.calls('GET /api/admin/audit')).toHaveLength(2));
  });

  it('words inviting and revoking in the change log, naming whom the invitation was for', async () => {
    const world = anAdminWorld();
    const entry = (id: string, action: AuditEntry['action'], label: string | null, before: object, after: object): AuditEntry => ({
      id,
      at: now - 60_000,
      action,
      actor: { id: 'u1', name: 'Ada Lovelace' },
      target: { type: 'invitation', id: `inv-${id}`, label },
      before: { ...before },
      after: { ...after },
    });
    world.audit = [
      entry('a4', 'invitation.revoke', 'grace@example.com', { status: 'expired' }, { status: 'revoked' }),
      entry('a3', 'invitation.revoke', 'Charles Babbage', { status: 'pending' }, { status: 'revoked' }),
      entry('a2', 'invitation.send', '+447700900456', {}, { status: 'pending', role: 'user', via: ['mobile'] }),
      entry('a1', 'invitation.send', null, {}, { status: 'pending', role: 'admin', via: ['email'] }),
    ];
    await openAdminPage(world);
    const items = await region('Change log').findAllByRole('listitem');
    expect(items.map((li) => li.querySelector('span')?.textContent)).toEqual([
      'Ada Lovelace revoked the expired invitation for grace@example.com',
      'Ada Lovelace revoked the invitation for Charles Babbage',
      'Ada Lovelace invited +447700900456 as a user',
      'Ada Lovelace invited someone as an admin',
    ]);
  });

  it('tells a non-admin the page is for admins and asks the server nothing about it', async () => {
    const user: Me = aMe({ role: 'user' });
    const api = await openAdmin({}, { user });
    expect(screen.getByText('Only admins of your business can see this page.')).toBeTruthy();
    await new Promise((r) => setTimeout(r, 50));
    expect(api.seen.filter((r) => r.path.startsWith('/api/admin/'))).toEqual([]);
    expect(screen.queryByRole('region', { name: 'Invite people' })).toBeNull();
  });
});
