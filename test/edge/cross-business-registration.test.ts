import { describe, expect, it } from 'vitest';
import { signInCookie } from '../support/sign-in';
import { contactsOf, credentialsFor, edge, wsUser } from './support/edge-context';
import { ALPHA, BETA } from './support/fixtures';

/**
 * A credential is one user's, whatever business it comes from: through the
 * real Kamailio, a credential of business B's erin registers (and calls) as
 * no user of business A, and A's alice as nobody of B. Both are valid, active
 * users with numbers; only the pairing is wrong.
 */
const aor = (userId: string) => `sip:${userId}@${edge.sipDomain}`;

/** Alice's credential as the Worker mints it for her signed-in app (`POST /api/sip/credentials`). */
async function workerMintedForAlice(): Promise<{ username: string; password: string }> {
  const cookie = await signInCookie(edge.appUrl, ALPHA.alice.email, ALPHA.alice.password);
  const res = await fetch(`${edge.appUrl}/api/sip/credentials`, { method: 'POST', headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  return (await res.json()) as { username: string; password: string };
}

describe('registration across businesses', () => {
  it('each of them registers with their own credential (the refusals below are about the pairing only)', async () => {
    expect((await (await wsUser(ALPHA.alice.id)).register()).status).toBe(200);
    expect((await (await wsUser(BETA.erin.id)).register()).status).toBe(200);
  });

  it('a credential of business B cannot register as a user of business A (403), and nothing is stored', async () => {
    const asAlice = await wsUser(ALPHA.alice.id, credentialsFor(BETA.erin.id));
    expect((await asAlice.register()).status).toBe(403);
    expect(contactsOf(ALPHA.alice.id)).toEqual([]);
    expect(contactsOf(BETA.erin.id)).toEqual([]);
  });

  it('a credential the Worker minted for a user of business A cannot register as a user of business B (403)', async () => {
    const asErin = await wsUser(BETA.erin.id, await workerMintedForAlice());
    expect((await asErin.register()).status).toBe(403);
    // Nor one minted by hand for alice with the edge's secret.
    expect((await (await wsUser(BETA.erin.id, credentialsFor(ALPHA.alice.id))).register()).status).toBe(403);
    expect(contactsOf(BETA.erin.id)).toEqual([]);
    expect(contactsOf(ALPHA.alice.id)).toEqual([]);
  });

  it('nor as its own user with the other business’s user in To (a contact for erin under alice’s name)', async () => {
    const alice = await wsUser(ALPHA.alice.id);
    expect((await alice.register(600, aor(BETA.erin.id))).status).toBe(403);
    const erin = await wsUser(BETA.erin.id);
    expect((await erin.register(600, aor(ALPHA.alice.id))).status).toBe(403);
    expect(contactsOf(BETA.erin.id)).toEqual([]);
    expect(contactsOf(ALPHA.alice.id)).toEqual([]);
  });

  it('a credential of business B cannot place a call as a user of business A (403); the callee never rings', async () => {
    const bob = await wsUser(ALPHA.bob.id);
    expect((await bob.register()).status).toBe(200);
    // erin's credential, From alice: the request claims business A.
    const asAlice = await wsUser(ALPHA.alice.id, credentialsFor(BETA.erin.id));
    expect(await asAlice.call(ALPHA.bob.id).status()).toBe(403);
    // And the other way: alice's credential, From erin (business B) calling into business A.
    const asErin = await wsUser(BETA.erin.id, credentialsFor(ALPHA.alice.id));
    expect(await asErin.call(ALPHA.bob.id).status()).toBe(403);
    await new Promise((r) => setTimeout(r, 300));
    expect(bob.pendingInvites).toBe(0);
  });
});
