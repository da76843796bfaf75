import { fireEvent, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/admin-api';
import { featureShown, followMyFeatures, loadMyFeatures, myFeatures } from '../../web/src/admin/my-features';
import { applyServerMessage } from '../../web/src/live/store';
import { anAdminWorld, openAdminPage, section } from './support/fake-admin';
import { fakeApi, json } from './support/fake-api';

function licenceOf(name: string): HTMLElement {
  const item = section('Licences')
    .getAllByRole('listitem')
    .find((li) => li.textContent?.includes(name));
  if (!item) throw new Error(`no licence row for ${name}`);
  return item;
}

describe('admin page: licences', () => {
  it('shows seats in use and each seat’s features; recording cannot be given when not bought', async () => {
    await openAdminPage();
    expect(await section('Licences').findByText('1 of 2 seats in use')).toBeTruthy();
    const ada = within(licenceOf('Ada Lovelace')).getByRole('group', { name: 'Ada Lovelace' });
    expect((within(ada).getByLabelText('Calling') as HTMLInputElement).checked).toBe(true);
    expect((within(ada).getByLabelText(/Call recording/) as HTMLInputElement).disabled).toBe(true);
    expect(section('Licences').getByText('Call recording is not part of your plan, so no seat can have it.')).toBeTruthy();
  });

  it('turns a feature off for a user with the right body', async () => {
    const api = await openAdminPage();
    const ada = await section('Licences').findByRole('group', { name: 'Ada Lovelace' });
    fireEvent.click(within(ada).getByLabelText('Text messages'));
    expect(await section('Licences').findByText('Text messages is off for Ada Lovelace.')).toBeTruthy();
    expect(api.calls('PATCH /api/admin/users/u1/licence')[0]?.body).toEqual({ sms: false });
    await waitFor(() =>
      expect(
        (within(section('Licences').getByRole('group', { name: 'Ada Lovelace' })).getByLabelText('Text messages') as HTMLInputElement)
          .checked,
      ).toBe(false),
    );
  });

  it('gives a seat while one is free, then offers none', async () => {
    const api = await openAdminPage();
    const give = await section('Licences').findByRole('button', { name: 'Give Charles Babbage a seat' });
    fireEvent.click(give);
    expect(await section('Licences').findByText('Charles Babbage has a seat.')).toBeTruthy();
    expect(api.calls('POST /api/admin/users/u2/licence')).toHaveLength(1);
    expect(await section('Licences').findByText('2 of 2 seats in use')).toBeTruthy();
    expect((section('Licences').getByRole('button', { name: 'Give Grace Hopper a seat' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('takes a seat back', async () => {
    const api = await openAdminPage();
    fireEvent.click(await section('Licences').findByRole('button', { name: "Take back Ada Lovelace's seat" }));
    expect(await section('Licences').findByText("Ada Lovelace's seat is free again; they have no features now.")).toBeTruthy();
    expect(api.calls('DELETE /api/admin/users/u1/licence')).toHaveLength(1);
  });
});

describe('admin page: plan and spending', () => {
  it('shows the spend and saves pay as you go with a limit in cents', async () => {
    const world = anAdminWorld();
    world.plan.spentCents = 1234;
    const api = await openAdminPage(world);
    const plan = section('Plan and spending');
    expect(await plan.findByText(/^12\.34/)).toBeTruthy();
    fireEvent.click(plan.getByLabelText('Pay as you go'));
    fireEvent.input(plan.getByLabelText('Monthly spending limit'), { target: { value: '250.5' } });
    fireEvent.click(plan.getByRole('button', { name: 'Save plan' }));
    expect(await plan.findByText('Plan saved.')).toBeTruthy();
    expect(api.calls('PATCH /api/admin/plan')[0]?.body).toEqual({ plan: 'payg', spendingLimitCents: 25050 });
    expect(await plan.findByText(/^12\.34 of 250\.50/)).toBeTruthy();
  });

  it('says when calls are stopped by the limit', async () => {
    const world = anAdminWorld();
    world.plan = { plan: 'payg', spendingLimitCents: 1000, spentCents: 1000 };
    await openAdminPage(world);
    expect(await section('Plan and spending').findByText('Stopped: the spending limit is reached')).toBeTruthy();
  });

  it('refuses an amount it cannot read, and shows the server’s error for a missing limit', async () => {
    const api = await openAdminPage();
    const plan = section('Plan and spending');
    const limit = (await plan.findByLabelText('Monthly spending limit')) as HTMLInputElement;
    fireEvent.input(limit, { target: { value: 'lots' } });
    fireEvent.click(plan.getByRole('button', { name: 'Save plan' }));
    await waitFor(() => expect(limit.getAttribute('aria-invalid')).toBe('true'));
    expect(api.calls('PATCH /api/admin/plan')).toHaveLength(0);

    fireEvent.click(plan.getByLabelText('Pay as you go'));
    fireEvent.input(limit, { target: { value: '' } });
    fireEvent.click(plan.getByRole('button', { name: 'Save plan' }));
    expect(await plan.findByText('Pay as you go needs a spending limit.')).toBeTruthy();
  });
});

describe('admin page: call recording', () => {
  it('says it is not part of the plan when not bought', async () => {
    await openAdminPage();
    expect(await section('Call recording').findByText('Call recording is not part of your plan. Contact us to add it.')).toBeTruthy();
    expect(section('Call recording').queryByRole('switch')).toBeNull();
  });

  it('switches recording on when bought, and lists no recordings yet', async () => {
    const world = anAdminWorld();
    world.recording = { purchased: true, enabled: false };
    const api = await openAdminPage(world);
    const toggle = (await section('Call recording').findByRole('switch', { name: 'Record calls' })) as HTMLInputElement;
    expect(toggle.checked).toBe(false);
    expect(await section('Call recording').findByText('No recordings yet.')).toBeTruthy();
    fireEvent.click(toggle);
    expect(await section('Call recording').findByText('Calls are recorded for users whose seat has recording.')).toBeTruthy();
    expect(api.calls('PATCH /api/admin/recording')[0]?.body).toEqual({ enabled: true });
    await waitFor(() => expect((section('Call recording').getByRole('switch') as HTMLInputElement).checked).toBe(true));
  });
});

describe('admin page: change log', () => {
  const entry = (i: number): AuditEntry => ({
    id: `aud_${i}`,
    at: Date.UTC(2026, 10, 28, 12, i),
    action: 'user.extension',
    actor: { id: 'u1', name: 'Ada Lovelace' },
    target: { type: 'user', id: 'u2', label: 'Charles Babbage' },
    before: { extension: String(200 + i) },
    after: { extension: String(201 + i) },
  });

  it('lists changes in words, newest first, and loads older ones on request', async () => {
    const world = anAdminWorld();
    world.audit = Array.from({ length: 25 }, (_, i) => entry(25 - i));
    world.audit.push({
      ...entry(0),
      id: 'aud_plan',
      action: 'business.plan',
      target: { type: 'business', id: 'b1', label: null },
      before: { plan: 'licensed', spendingLimitCents: null },
      after: { plan: 'payg', spendingLimitCents: 5000 },
    });
    await openAdminPage(world);
    const log = section('Change log');
    const first = await log.findAllByRole('listitem');
    expect(first).toHaveLength(20);
    expect(first[0]?.textContent).toContain("Ada Lovelace changed Charles Babbage's extension from 225 to 226");
    fireEvent.click(log.getByRole('button', { name: 'Show older changes' }));
    await waitFor(() => expect(log.getAllByRole('listitem')).toHaveLength(26));
    expect(log.getAllByRole('listitem')[25]?.textContent).toContain(
      'Ada Lovelace changed the plan to pay as you go, spending limit 50.00 (was licensed, no limit)',
    );
    expect(log.queryByRole('button', { name: 'Show older changes' })).toBeNull();
  });
});

describe('the user’s own features', () => {
  it('are read from GET /api/me/features, and again on a licence_changed event', async () => {
    let sms = true;
    const api = fakeApi({
      'GET /api/me/features': () => json(200, { calling: true, sms, voicemail: true, recording: false }),
    });
    myFeatures.value = undefined;
    expect(featureShown('sms')).toBe(true);
    await loadMyFeatures();
    expect(featureShown('sms')).toBe(true);
    sms = false;
    // Events arrive over the live channel; only a licence change makes the features be read again.
    const unfollow = followMyFeatures();
    applyServerMessage({ type: 'event', seq: 1, event: { kind: 'new_sms', id: 'features-e1', at: 1 } });
    expect(api.calls('GET /api/me/features')).toHaveLength(1);
    applyServerMessage({ type: 'event', seq: 2, event: { kind: 'licence_changed', id: 'features-e2', at: 2 } });
    await waitFor(() => expect(featureShown('sms')).toBe(false));
    expect(featureShown('recording')).toBe(false);
    expect(api.calls('GET /api/me/features')).toHaveLength(2);
    unfollow();
  });
});
