import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { contactRetentionJobs, TOMBSTONE_KEEP_MS } from '../../worker/contacts/retention-jobs';
import { json, seedBusiness, signedIn } from './support/api';
import { aContact, changes, created } from './support/contacts';
import { openLive } from './support/live-socket';

async function twoDevices() {
  const a = await seedBusiness({ pool: 1 });
  const phone = await signedIn(a.user.email, a.user.password);
  const laptop = await signedIn(a.user.email, a.user.password);
  return { a, phone, laptop };
}

describe('contacts sync: the changes feed', () => {
  it('returns upserts and tombstones after a cursor, oldest first, and a cursor to continue from', async () => {
    const { phone, laptop } = await twoDevices();
    const empty = await changes(laptop);
    expect(empty).toEqual({ upserts: [], deletions: [], cursor: '0', more: false, reset: false });

    const one = await created(phone, aContact({ firstName: 'One' }));
    const two = await created(phone, aContact({ firstName: 'Two', numbers: [{ value: '020 7946 0002' }] }));
    const first = await changes(laptop, empty.cursor);
    expect(first.upserts.map((c: { firstName: string }) => c.firstName)).toEqual(['One', 'Two']);
    expect(first.more).toBe(false);

    await phone.call('PUT', `/api/contacts/${one.id}`, { ...aContact({ firstName: 'Uno' }), baseVersion: 1 });
    await phone.del(`/api/contacts/${two.id}?baseVersion=1`);
    const second = await changes(laptop, first.cursor);
    expect(second.upserts).toEqual([expect.objectContaining({ id: one.id, firstName: 'Uno', version: 2 })]);
    expect(second.deletions).toEqual([{ id: two.id, version: 2, deletedAt: expect.any(Number) }]);
    expect(Number(second.cursor)).toBeGreaterThan(Number(first.cursor));

    expect(await changes(laptop, second.cursor)).toMatchObject({ upserts: [], deletions: [], cursor: second.cursor, more: false });
  });

  it('pages through many changes with `more` until caught up, each change exactly once', async () => {
    const { phone, laptop } = await twoDevices();
    for (let i = 0; i < 7; i++) await created(phone, aContact({ firstName: `P${i}`, numbers: [{ value: `020 7946 010${i}` }] }));
    const seen: string[] = [];
    let cursor = '0';
    let pages = 0;
    for (;;) {
      const page = await changes(laptop, cursor, 3);
      pages++;
      seen.push(...page.upserts.map((c: { firstName: string }) => c.firstName));
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6']);
  });

  it('tells a device whose cursor is ahead of the server, or older than the forgotten deletions, to start over', async () => {
    const { a, phone } = await twoDevices();
    const c = await created(phone);
    expect(await changes(phone, '99')).toMatchObject({ reset: true, cursor: '0', upserts: [], deletions: [] });

    await phone.del(`/api/contacts/${c.id}?baseVersion=1`);
    await created(phone, aContact({ numbers: [{ value: '020 7946 0003' }] }));
    // The deletion is purged after 90 days: a cursor from before it must reset.
    await contactRetentionJobs.find((j) => j.name === 'contact_tombstones')?.run(env, Date.now() + TOMBSTONE_KEEP_MS + 1000);
    expect(await env.DB.prepare('SELECT purged_seq FROM contact_sync WHERE user_id = ?').bind(a.user.id).first('purged_seq')).toBe(2);
    expect((await changes(phone, '1')).reset).toBe(true);
    const fresh = await changes(phone, '0');
    expect(fresh).toMatchObject({ reset: false, deletions: [] });
    expect(fresh.upserts).toHaveLength(1);
    expect((await changes(phone, fresh.cursor)).reset).toBe(false);
  });

  it('refuses a cursor that is not one', async () => {
    const { phone } = await twoDevices();
    const res = await phone.get('/api/contacts/changes?since=abc');
    expect(res.status).toBe(422);
    expect((await phone.get('/api/contacts/changes?limit=5000')).status).toBe(422);
  });
});

describe('contacts sync: the hint to pull', () => {
  it('each change tells the user’s devices over the live channel; a colleague hears nothing', async () => {
    const { a, phone, laptop } = await twoDevices();
    const colleague = await signedIn(a.admin.email, a.admin.password);
    const mine = await openLive(laptop);
    await mine.hello();
    const theirs = await openLive(colleague);
    await theirs.hello();
    const isHint = (m: { type: string; event?: { kind: string } }) => m.type === 'event' && m.event?.kind === 'contacts_changed';
    const c = await created(phone);
    await mine.next(isHint);
    await phone.call('PUT', `/api/contacts/${c.id}/favourite`, { favourite: true });
    await mine.next(isHint);
    await phone.del(`/api/contacts/${c.id}?baseVersion=2`);
    await mine.next(isHint);
    await theirs.expectQuiet();
    mine.close();
    theirs.close();
  });
});

describe('contacts sync: the conflict rule (server wins, the device is told)', () => {
  it('two devices edit the same version: the first wins, the second gets 409 with the current contact and may re-apply on top', async () => {
    const { phone, laptop } = await twoDevices();
    const c = await created(phone);
    const win = await phone.call('PUT', `/api/contacts/${c.id}`, { ...aContact({ company: 'Phone Co' }), baseVersion: 1 });
    expect(win.status).toBe(200);
    const lose = await laptop.call('PUT', `/api/contacts/${c.id}`, { ...aContact({ lastName: 'King' }), baseVersion: 1 });
    expect(lose.status).toBe(409);
    const problem = await json(lose);
    expect(problem.current).toMatchObject({ company: 'Phone Co', lastName: 'Lovelace', version: 2 });
    // The laptop kept its edit and applies it again on top of what won.
    const merged = await laptop.call('PUT', `/api/contacts/${c.id}`, {
      ...aContact({ company: 'Phone Co', lastName: 'King' }),
      baseVersion: problem.currentVersion,
    });
    expect(merged.status).toBe(200);
    expect(await json(merged)).toMatchObject({ company: 'Phone Co', lastName: 'King', version: 3 });
  });

  it('an edit of a contact deleted elsewhere is a conflict with current null; saving at the tombstone’s version restores it', async () => {
    const { phone, laptop } = await twoDevices();
    const c = await created(phone);
    await phone.del(`/api/contacts/${c.id}?baseVersion=1`);
    const lose = await laptop.call('PUT', `/api/contacts/${c.id}`, { ...aContact({ firstName: 'Kept' }), baseVersion: 1 });
    expect(lose.status).toBe(409);
    const problem = await json(lose);
    expect(problem).toMatchObject({ current: null, currentVersion: 2 });
    expect(problem.detail).toMatch(/deleted on another device/);
    const restored = await laptop.call('PUT', `/api/contacts/${c.id}`, { ...aContact({ firstName: 'Kept' }), baseVersion: 2 });
    expect(restored.status).toBe(200);
    expect(await json(restored)).toMatchObject({ id: c.id, firstName: 'Kept', version: 3 });
    const feed = await changes(phone, '0');
    expect(feed.upserts.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(feed.deletions).toEqual([]);
  });

  it('a deletion based on an older version is a conflict: the other device’s edit is not thrown away', async () => {
    const { phone, laptop } = await twoDevices();
    const c = await created(phone);
    await phone.call('PUT', `/api/contacts/${c.id}`, { ...aContact({ company: 'Edited' }), baseVersion: 1 });
    const res = await laptop.call('DELETE', `/api/contacts/${c.id}`, undefined, { 'If-Match': 'W/"1"' });
    expect(res.status).toBe(409);
    expect((await json(res)).current.company).toBe('Edited');
    expect((await laptop.get(`/api/contacts/${c.id}`)).status).toBe(200);
  });
});

describe('contacts retention', () => {
  it('deletes a terminated user’s contacts a month after termination, not before', async () => {
    const { a, phone } = await twoDevices();
    await created(phone);
    const now = Date.now();
    await env.DB.prepare("UPDATE users SET status = 'terminated', terminated_at = ? WHERE id = ?").bind(now, a.user.id).run();
    const job = contactRetentionJobs.find((j) => j.name === 'contacts_after_termination');
    expect(await job?.run(env, now + 29 * 86_400_000)).toBe(0);
    expect(await job?.run(env, now + 31 * 86_400_000)).toBe(1);
    for (const table of ['contacts', 'contact_numbers', 'contact_emails', 'contact_sync']) {
      expect(await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE user_id = ?`).bind(a.user.id).first('n')).toBe(0);
    }
  });

  it('deletes every user’s contacts a month after their business is terminated', async () => {
    const { a, phone } = await twoDevices();
    await created(phone);
    const admin = await signedIn(a.admin.email, a.admin.password);
    await created(admin);
    const now = Date.now();
    await env.DB.prepare("UPDATE businesses SET status = 'terminated', terminated_at = ? WHERE id = ?").bind(now, a.business.id).run();
    const job = contactRetentionJobs.find((j) => j.name === 'contacts_after_termination');
    expect(await job?.run(env, now + 31 * 86_400_000)).toBe(2);
  });
});
