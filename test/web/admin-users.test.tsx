import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { anAdminWorld, openAdminPage, section } from './support/fake-admin';
import { json, problem } from './support/fake-api';
import { type } from './support/ui';

function row(name: string): HTMLElement {
  const item = section('Users')
    .getAllByRole('listitem')
    .find((li) => li.textContent?.includes(name));
  if (!item) throw new Error(`no row for ${name}`);
  return item;
}

describe('admin page: users', () => {
  it('lists users with role, status, number and extension; your own row has no actions', async () => {
    await openAdminPage();
    await section('Users').findByText('Charles Babbage');
    expect(row('Charles Babbage').textContent).toContain('+447700900456');
    expect(row('Charles Babbage').textContent).toContain('Number +442079460101, extension 201');
    expect(row('Grace Hopper').textContent).toContain('Suspended');
    expect(row('Ada Lovelace').textContent).toContain('You');
    expect(within(row('Ada Lovelace')).queryByRole('button')).toBeNull();
    expect(within(row('Charles Babbage')).getByRole('group', { name: 'Actions for Charles Babbage' })).toBeTruthy();
  });

  it('searches as you type, after a pause, and can show everyone', async () => {
    const api = await openAdminPage();
    await section('Users').findByText('Charles Babbage');
    type('Search users', 'grace');
    await waitFor(() => expect(section('Users').queryByText('Charles Babbage')).toBeNull());
    expect(section('Users').getByText('Grace Hopper')).toBeTruthy();
    expect(api.seen.some((r) => r.path === '/api/admin/users' && r.method === 'GET')).toBe(true);
    type('Search users', 'nobody');
    expect(await section('Users').findByText('Nobody matches.')).toBeTruthy();
  });

  it('makes a user an admin and suspends and reactivates them, saying so', async () => {
    const api = await openAdminPage();
    await section('Users').findByText('Charles Babbage');
    fireEvent.click(within(row('Charles Babbage')).getByRole('button', { name: 'Make admin' }));
    expect(await section('Users').findByText('Charles Babbage is now an admin.')).toBeTruthy();
    expect(api.calls('PATCH /api/admin/users/u2')[0]?.body).toEqual({ role: 'admin' });
    await waitFor(() => expect(within(row('Charles Babbage')).getByRole('button', { name: 'Remove admin' })).toBeTruthy());

    fireEvent.click(within(row('Charles Babbage')).getByRole('button', { name: 'Suspend' }));
    expect(await section('Users').findByText('Charles Babbage is suspended and signed out everywhere.')).toBeTruthy();
    expect(api.calls('POST /api/admin/users/u2/suspend')).toHaveLength(1);
    const reactivate = await within(row('Charles Babbage')).findByRole('button', { name: 'Reactivate' });
    fireEvent.click(reactivate);
    expect(await section('Users').findByText('Charles Babbage can sign in again.')).toBeTruthy();
    expect(api.calls('POST /api/admin/users/u2/reactivate')).toHaveLength(1);
  });

  it('terminates only after a confirm step that says what happens; Cancel backs out and returns the focus', async () => {
    const api = await openAdminPage();
    await section('Users').findByText('Charles Babbage');
    fireEvent.click(within(row('Charles Babbage')).getByRole('button', { name: 'Terminate…' }));
    const confirm = within(row('Charles Babbage')).getByRole('group', { name: 'Terminate Charles Babbage?' });
    expect(confirm.textContent).toContain('Their number goes back to the pool');
    await waitFor(() => expect(document.activeElement).toBe(confirm));
    expect(api.calls('POST /api/admin/users/u2/terminate')).toHaveLength(0);

    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Terminate…'));
    expect(api.calls('POST /api/admin/users/u2/terminate')).toHaveLength(0);

    fireEvent.click(within(row('Charles Babbage')).getByRole('button', { name: 'Terminate…' }));
    fireEvent.keyDown(within(row('Charles Babbage')).getByRole('group', { name: 'Terminate Charles Babbage?' }), { key: 'Escape' });
    expect(within(row('Charles Babbage')).queryByRole('group', { name: 'Terminate Charles Babbage?' })).toBeNull();

    fireEvent.click(within(row('Charles Babbage')).getByRole('button', { name: 'Terminate…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, terminate Charles Babbage' }));
    expect(await section('Users').findByText('Charles Babbage was terminated. Their number is back in the pool.')).toBeTruthy();
    expect(api.calls('POST /api/admin/users/u2/terminate')).toHaveLength(1);
    // Gone from the current users; the numbers section shows the number free again.
    await waitFor(() => expect(section('Users').queryByText('Charles Babbage')).toBeNull());
    await waitFor(() => {
      const freed = section('Numbers')
        .getAllByRole('listitem')
        .find((li) => li.textContent?.includes('+442079460101'));
      expect(freed?.textContent).toContain('Free');
    });
  });

  it('shows the server’s reason when a change is refused', async () => {
    const world = anAdminWorld();
    await openAdminPage(world, {
      'PATCH /api/admin/users/:id': () =>
        problem(409, 'last_admin', { detail: 'This is the only active admin. Make someone else an admin first.' }),
    });
    await section('Users').findByText('Charles Babbage');
    fireEvent.click(within(row('Charles Babbage')).getByRole('button', { name: 'Make admin' }));
    const alert = await section('Users').findByRole('alert');
    expect(alert.textContent).toBe('This is the only active admin. Make someone else an admin first.');
  });

  it('offers a way back when the list cannot be loaded', async () => {
    let fail = true;
    const world = anAdminWorld();
    await openAdminPage(world, {
      'GET /api/admin/users': () => (fail ? problem(503, 'unavailable', { detail: 'Try later.' }) : json(200, { users: world.users })),
    });
    const alert = await section('Users').findByRole('alert');
    expect(alert.textContent).toContain('Users could not be loaded. Try later.');
    fail = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await section('Users').findByText('Charles Babbage')).toBeTruthy();
    expect(section('Users').queryByRole('alert')).toBeNull();
  });
});
