import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, sqlValue } from './support/d1';
import { decisionFor, edge, registeredUser } from './support/edge-context';
import { ALPHA, BETA } from './support/fixtures';

/**
 * Extensions through the real edge: a colleague's extension rings them, and
 * an extension of another business is nobody here. Kamailio passes the dialled
 * digits to the Worker untouched; these tests prove it rings whom the Worker
 * names and nobody else.
 */
const BOB_EXTENSION = '250';
const ERIN_EXTENSION = '251';

beforeAll(async () => {
  // As the admin API writes them (worker/admin/extension-routes.ts): one per user, unique in the business.
  const now = Date.now();
  const rows: Array<[business: string, extension: string, user: string]> = [
    [ALPHA.id, BOB_EXTENSION, ALPHA.bob.id],
    [BETA.id, ERIN_EXTENSION, BETA.erin.id],
  ];
  await sql(
    rows
      .map(
        (row) => `INSERT INTO extensions (business_id, extension, user_id, created_at) VALUES (${row.map(sqlValue).join(', ')}, ${now});`,
      )
      .join('\n'),
  );
});
afterAll(async () => {
  await sql(`DELETE FROM extensions WHERE user_id IN (${sqlValue(ALPHA.bob.id)}, ${sqlValue(BETA.erin.id)});`);
});

describe('dialling an extension', () => {
  it('rings the colleague who has it; they answer, and the call ends through the edge', async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const bob = await registeredUser(ALPHA.bob.id);
    const call = alice.call(BOB_EXTENSION);
    const invite = await bob.nextInvite();
    expect(invite.from).toBe(`sip:${ALPHA.alice.id}@${edge.sipDomain}`);
    invite.ring();
    await call.response(180);
    await invite.answer();
    expect(await call.status()).toBe(200);
    expect(await decisionFor(call.callId)).toMatchObject({ status: 200, answer: { action: 'ring', targets: [ALPHA.bob.id] } });
    expect((await call.bye()).status).toBe(200);
    await invite.ended;
  });

  it('an extension of another business is not found (404) and its holder never rings, either way', async () => {
    const alice = await registeredUser(ALPHA.alice.id);
    const bob = await registeredUser(ALPHA.bob.id);
    const erin = await registeredUser(BETA.erin.id);

    const toErin = alice.call(ERIN_EXTENSION);
    expect(await toErin.status()).toBe(404);
    expect(await decisionFor(toErin.callId)).toMatchObject({ answer: { action: 'reject', code: 404 } });

    const toBob = erin.call(BOB_EXTENSION);
    expect(await toBob.status()).toBe(404);
    expect(await decisionFor(toBob.callId)).toMatchObject({ answer: { action: 'reject', code: 404 } });

    await new Promise((r) => setTimeout(r, 300));
    expect(erin.pendingInvites).toBe(0);
    expect(bob.pendingInvites).toBe(0);
  });
});
