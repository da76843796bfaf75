import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { json, seedBusiness } from './support/api';
import { askRoute, assignNumber, overrideNumber, setUserStatus } from './support/edge';

/** A valid UK number no business on the platform owns. */
const EXTERNAL = '+441614960001';

/** A licensed business: the user holds numbers[0], the admin numbers[1]; numbers[2] is made the main number; numbers[3] is spare. */
async function business() {
  const b = await seedBusiness({ pool: 4, licensed: true });
  const [userNumber, adminNumber, main, spare] = b.numbers as [string, string, string, string];
  await assignNumber(b.business.id, userNumber, b.user.id);
  await assignNumber(b.business.id, adminNumber, b.admin.id);
  await env.DB.prepare("UPDATE numbers SET kind = 'main' WHERE e164 = ?").bind(main).run();
  return { ...b, userNumber, adminNumber, main, spare };
}

/** Another member of the business, with a seat (calling, voicemail; no recording), created `createdAt`. */
async function addMember(businessId: string, role: 'user' | 'admin', createdAt = Date.now()): Promise<string> {
  const id = `usr_m_${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO users (id, business_id, name, email, role, created_at, updated_at) VALUES (?, ?, 'Member', ?, ?, ?, ?)",
    ).bind(id, businessId, `${id}@biz.example`, role, createdAt, createdAt),
    env.DB.prepare(
      'INSERT INTO user_licences (business_id, user_id, calling, sms, voicemail, recording, assigned_at, updated_at) VALUES (?, ?, 1, 1, 1, 0, ?, ?)',
    ).bind(businessId, id, createdAt, createdAt),
  ]);
  return id;
}

const setSeat = (userId: string, feature: 'voicemail' | 'recording', on: boolean) =>
  env.DB.prepare(`UPDATE user_licences SET ${feature} = ? WHERE user_id = ?`)
    .bind(on ? 1 : 0, userId)
    .run();
const dropSeat = (userId: string) => env.DB.prepare('DELETE FROM user_licences WHERE user_id = ?').bind(userId).run();
const setRecording = (businessId: string, purchased: boolean, enabled: boolean) =>
  env.DB.prepare('UPDATE businesses SET recording_purchased = ?, recording_enabled = ? WHERE id = ?')
    .bind(Number(purchased), Number(enabled), businessId)
    .run();
const setDnd = (userId: string, on: boolean) =>
  env.DB.prepare('UPDATE users SET dnd = ? WHERE id = ?')
    .bind(on ? 1 : 0, userId)
    .run();
const addExtension = (businessId: string, extension: string, userId: string) =>
  env.DB.prepare('INSERT INTO extensions (business_id, extension, user_id, created_at) VALUES (?, ?, ?, ?)')
    .bind(businessId, extension, userId, Date.now())
    .run();

const fromUser = (caller: string, to: string) => askRoute({ source: 'client', fromUser: caller, to }).then(json);
const fromNetwork = (to: string) => askRoute({ source: 'phone_network', fromUser: EXTERNAL, to }).then(json);

describe('voicemailUserId: whose voicemail takes a call nobody answers', () => {
  it("a call for one user (user id, extension, their number, from the network) goes to that user's voicemail", async () => {
    const b = await business();
    await addExtension(b.business.id, '201', b.admin.id);
    for (const to of [b.admin.id, '201', b.adminNumber]) {
      expect(await fromUser(b.user.id, to)).toEqual({
        action: 'ring',
        targets: [b.admin.id],
        ringSeconds: 30,
        anchorMedia: false,
        voicemailUserId: b.admin.id,
      });
    }
    expect(await fromNetwork(b.userNumber)).toEqual({
      action: 'ring',
      targets: [b.user.id],
      ringSeconds: 30,
      anchorMedia: true,
      voicemailUserId: b.user.id,
    });
  });

  it("is absent when that user's seat has no voicemail, or they have no seat: the edge then makes the call busy where voicemail would have taken it", async () => {
    const b = await business();
    await setSeat(b.admin.id, 'voicemail', false);
    await dropSeat(b.user.id);
    const colleague = await addMember(b.business.id, 'user');
    expect(await fromUser(colleague, b.admin.id)).toEqual({ action: 'ring', targets: [b.admin.id], ringSeconds: 30, anchorMedia: false });
    expect(await fromUser(colleague, b.user.id)).toEqual({ action: 'ring', targets: [b.user.id], ringSeconds: 30, anchorMedia: false });
    expect(await fromNetwork(b.adminNumber)).not.toHaveProperty('voicemailUserId');
  });

  it("a number shared by overrides: its assigned user's voicemail while they answer on it", async () => {
    const b = await business();
    // The admin's calls also come in on the user's number; the user keeps it as theirs (and sorts after the admin).
    await overrideNumber(b.business.id, b.admin.id, b.userNumber);
    expect(await fromNetwork(b.userNumber)).toMatchObject({
      action: 'ring',
      targets: [b.admin.id, b.user.id],
      voicemailUserId: b.user.id,
    });
  });

  it('a number one user answers on by override is theirs, even when it is the main number', async () => {
    const b = await business();
    await overrideNumber(b.business.id, b.user.id, b.main);
    expect(await fromNetwork(b.main)).toMatchObject({ action: 'ring', targets: [b.user.id], voicemailUserId: b.user.id });
  });

  it("the main number shared by several goes to the business's first admin, even one it does not ring", async () => {
    const b = await business();
    const sam = await addMember(b.business.id, 'user');
    await overrideNumber(b.business.id, b.user.id, b.main);
    await overrideNumber(b.business.id, sam, b.main);
    expect(await fromNetwork(b.main)).toEqual({
      action: 'ring',
      targets: [b.user.id, sam].sort(),
      ringSeconds: 30,
      anchorMedia: true,
      voicemailUserId: b.admin.id,
    });
    // Colleagues dialling the main number: the same owner.
    expect(await fromUser(b.admin.id, b.main)).toMatchObject({ voicemailUserId: b.admin.id });
    // The admin's seat without voicemail: no other mailbox takes the business's messages.
    await setSeat(b.admin.id, 'voicemail', false);
    expect(await fromNetwork(b.main)).not.toHaveProperty('voicemailUserId');
  });

  it('the first admin is the oldest active one', async () => {
    const b = await business();
    const sam = await addMember(b.business.id, 'user');
    const older = await addMember(b.business.id, 'admin', Date.now() - 86_400_000);
    const oldest = await addMember(b.business.id, 'admin', Date.now() - 2 * 86_400_000);
    await overrideNumber(b.business.id, b.user.id, b.main);
    await overrideNumber(b.business.id, sam, b.main);
    expect(await fromNetwork(b.main)).toMatchObject({ voicemailUserId: oldest });
    await setUserStatus(b.business.id, oldest, 'suspended');
    expect(await fromNetwork(b.main)).toMatchObject({ voicemailUserId: older });
  });

  it('the main number with nobody to ring takes a message for its owner; a spare or moved-away number is unavailable', async () => {
    const b = await business();
    expect(await fromNetwork(b.main)).toEqual({ action: 'voicemail', userId: b.admin.id });
    expect(await fromUser(b.user.id, b.main)).toEqual({ action: 'voicemail', userId: b.admin.id });
    expect(await fromNetwork(b.spare)).toMatchObject({ action: 'reject', code: 480 });
    // The user's calls now come in on the admin's number: their own assigned one rings nobody.
    await overrideNumber(b.business.id, b.user.id, b.adminNumber);
    expect(await fromNetwork(b.userNumber)).toMatchObject({ action: 'reject', code: 480 });
    // Without the admin's voicemail the main number is busy, like every call voicemail would have taken;
    // a spare number is still unavailable (voicemail never took its calls).
    await setSeat(b.admin.id, 'voicemail', false);
    expect(await fromNetwork(b.main)).toEqual({ action: 'reject', code: 486, reason: 'Busy Here' });
    expect(await fromUser(b.user.id, b.main)).toEqual({ action: 'reject', code: 486, reason: 'Busy Here' });
    expect(await fromNetwork(b.spare)).toMatchObject({ action: 'reject', code: 480 });
  });

  it("do-not-disturb: the others ring with the owner's voicemail behind them; all on it, straight to the owner's voicemail", async () => {
    const b = await business();
    await overrideNumber(b.business.id, b.user.id, b.adminNumber);
    await setDnd(b.admin.id, true);
    expect(await fromNetwork(b.adminNumber)).toMatchObject({ action: 'ring', targets: [b.user.id], voicemailUserId: b.admin.id });
    await setDnd(b.user.id, true);
    expect(await fromNetwork(b.adminNumber)).toEqual({ action: 'voicemail', userId: b.admin.id });
    await setSeat(b.admin.id, 'voicemail', false);
    expect(await fromNetwork(b.adminNumber)).toEqual({ action: 'reject', code: 486, reason: 'Do not disturb' });
  });
});

describe('record: calls recorded only when bought, switched on and in the seat', () => {
  it('records the calls of a user whose seat has recording, when the business bought it and switched it on', async () => {
    const b = await business();
    await setRecording(b.business.id, true, true);
    await setSeat(b.user.id, 'recording', true);
    expect(await fromUser(b.user.id, EXTERNAL)).toEqual({
      action: 'phone_network',
      number: EXTERNAL,
      callerId: b.userNumber,
      record: true,
    });
    expect(await fromUser(b.user.id, b.admin.id)).toMatchObject({ action: 'ring', targets: [b.admin.id], record: true });
    expect(await fromNetwork(b.userNumber)).toMatchObject({ action: 'ring', targets: [b.user.id], record: true });
  });

  it('bought but switched off, switched on but not bought: nothing is recorded', async () => {
    const b = await business();
    await setSeat(b.user.id, 'recording', true);
    for (const [purchased, enabled] of [
      [true, false],
      [false, true],
      [false, false],
    ] as const) {
      await setRecording(b.business.id, purchased, enabled);
      expect(await fromUser(b.user.id, EXTERNAL)).not.toHaveProperty('record');
      expect(await fromUser(b.user.id, b.admin.id)).not.toHaveProperty('record');
      expect(await fromNetwork(b.userNumber)).not.toHaveProperty('record');
    }
  });

  it("switched on, but the seat on our side has no recording: the caller's for their calls, the number's user's from the network", async () => {
    const b = await business();
    await setRecording(b.business.id, true, true);
    await setSeat(b.admin.id, 'recording', true);
    // The user's seat has none: their calls, to anyone, are not recorded (the callee's seat does not matter).
    expect(await fromUser(b.user.id, EXTERNAL)).toEqual({ action: 'phone_network', number: EXTERNAL, callerId: b.userNumber });
    expect(await fromUser(b.user.id, b.admin.id)).not.toHaveProperty('record');
    expect(await fromNetwork(b.userNumber)).not.toHaveProperty('record');
    // The admin's are.
    expect(await fromUser(b.admin.id, b.user.id)).toMatchObject({ record: true });
    expect(await fromNetwork(b.adminNumber)).toMatchObject({ record: true });
  });

  it("a shared line follows its owner's seat", async () => {
    const b = await business();
    const sam = await addMember(b.business.id, 'user');
    await overrideNumber(b.business.id, b.user.id, b.main);
    await overrideNumber(b.business.id, sam, b.main);
    await setRecording(b.business.id, true, true);
    await setSeat(b.user.id, 'recording', true);
    expect(await fromNetwork(b.main)).not.toHaveProperty('record');
    await setSeat(b.admin.id, 'recording', true);
    expect(await fromNetwork(b.main)).toMatchObject({ action: 'ring', voicemailUserId: b.admin.id, record: true });
  });
});
