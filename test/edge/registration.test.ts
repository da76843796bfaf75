import { describe, expect, it } from 'vitest';
import { signInCookie } from '../support/sign-in';
import { mintCredentials } from './support/credentials';
import { sql, sqlValue } from './support/d1';
import { contactsOf, credentialsFor, edge, kamcmd, tap, udpUser, wsUser } from './support/edge-context';
import { ALPHA } from './support/fixtures';
import { header } from './support/sip/message';
import { runSipp } from './support/sipp';

const now = () => Math.floor(Date.now() / 1000);

describe('registration over WebSocket (as browsers do)', () => {
  it('challenges a REGISTER without credentials, then accepts a valid auth_ephemeral credential', async () => {
    const anonymous = await wsUser(ALPHA.alice.id, null);
    const challenged = await anonymous.register();
    expect(challenged.status).toBe(401);
    expect(header(challenged, 'www-authenticate')).toMatch(new RegExp(`^Digest realm="${edge.sipDomain}"`));

    const alice = await wsUser(ALPHA.alice.id);
    expect((await alice.register()).status).toBe(200);
    expect(contactsOf(ALPHA.alice.id)).toHaveLength(1);
  });

  it('refuses expired, forged and other users’ credentials with 403', async () => {
    const expired = await wsUser(ALPHA.bob.id, credentialsFor(ALPHA.bob.id, now() - 1));
    expect((await expired.register()).status).toBe(403);
    const forged = await wsUser(ALPHA.bob.id, mintCredentials('not-the-edge-secret', ALPHA.bob.id));
    expect((await forged.register()).status).toBe(403);
    // Alice's valid credential cannot register Bob.
    const crossUser = await wsUser(ALPHA.bob.id, credentialsFor(ALPHA.alice.id));
    expect((await crossUser.register()).status).toBe(403);
    // A password for one expiry does not work with another (the username is signed whole).
    const good = credentialsFor(ALPHA.bob.id);
    const stretched = { username: `${now() + 86_400 * 365}:${ALPHA.bob.id}`, password: good.password };
    expect((await (await wsUser(ALPHA.bob.id, stretched)).register()).status).toBe(403);
    expect(contactsOf(ALPHA.bob.id)).toHaveLength(0);
  });

  it('refuses a REGISTER whose To names another user than the From and the credential', async () => {
    const alice = await wsUser(ALPHA.alice.id);
    // To = Bob while From and the credential are Alice: registering a contact for Bob.
    const res = await alice.register(600, `sip:${ALPHA.bob.id}@${edge.sipDomain}`);
    expect(res.status).toBe(403);
    expect(contactsOf(ALPHA.bob.id)).toHaveLength(0);
  });

  it('registers credentials minted by the Worker’s /api/sip/credentials (same format, same secret)', async () => {
    const cookie = await signInCookie(edge.appUrl, ALPHA.alice.email, ALPHA.alice.password);
    const res = await fetch(`${edge.appUrl}/api/sip/credentials`, { method: 'POST', headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    const credentials = (await res.json()) as { username: string; password: string; uri: string; wsUrl: string; realm: string };
    expect(credentials.uri).toBe(`sip:${ALPHA.alice.id}@${edge.sipDomain}`);
    expect(credentials.wsUrl).toBe(`ws://127.0.0.1:${edge.ports.ws}`);
    expect(credentials.realm).toBe(edge.sipDomain);
    const alice = await wsUser(ALPHA.alice.id, credentials);
    expect((await alice.register()).status).toBe(200);
  });

  it('keeps several registrations per user, and drops one on unregister', async () => {
    const phone = await wsUser(ALPHA.carol.id);
    const laptop = await udpUser(ALPHA.carol.id);
    expect((await phone.register()).status).toBe(200);
    expect((await laptop.register()).status).toBe(200);
    expect(contactsOf(ALPHA.carol.id)).toHaveLength(2);
    expect((await laptop.register(0)).status).toBe(200);
    expect(contactsOf(ALPHA.carol.id)).toHaveLength(1);
  });
});

describe('who may register: the Worker says (POST /api/edge/registration)', () => {
  const setDaveStatus = (status: 'active' | 'suspended') =>
    sql(`UPDATE users SET status = ${sqlValue(status)} WHERE id = ${sqlValue(ALPHA.dave.id)}`);
  /** How often the edge asked the Worker about `user` since the tap was last reset. */
  const asksFor = async (user: string) => (await tap()).records.filter((r) => r.body.userId === user).length;

  it('a suspended user with a valid credential is refused 403 with the reason, on every REGISTER (a no is not remembered)', async () => {
    kamcmd('htable.delete', 'regok', ALPHA.dave.id);
    await tap({ reset: true });
    const dave = await wsUser(ALPHA.dave.id);
    for (let i = 0; i < 2; i++) {
      const refused = await dave.register();
      expect(refused.status).toBe(403);
      expect(refused.reason).toBe('Account suspended');
    }
    expect(contactsOf(ALPHA.dave.id)).toHaveLength(0);
    expect(await asksFor(ALPHA.dave.id)).toBe(2);
  });

  it('a yes is remembered for a while; once asked again, a suspension since refuses the refresh; leaving needs no say-so', async () => {
    kamcmd('htable.delete', 'regok', ALPHA.dave.id);
    await setDaveStatus('active');
    try {
      await tap({ reset: true });
      const dave = await wsUser(ALPHA.dave.id);
      expect((await dave.register()).status).toBe(200);
      await setDaveStatus('suspended');
      // Within REGISTRATION_CACHE_SECONDS a refresh does not ask again.
      expect((await dave.register()).status).toBe(200);
      expect(await asksFor(ALPHA.dave.id)).toBe(1);
      // Once the yes has run out (here: dropped), the refresh asks and is refused; the binding stays until it expires.
      kamcmd('htable.delete', 'regok', ALPHA.dave.id);
      const refused = await dave.register();
      expect(refused.status).toBe(403);
      expect(refused.reason).toBe('Account suspended');
      expect(await asksFor(ALPHA.dave.id)).toBe(2);
      expect(contactsOf(ALPHA.dave.id)).toHaveLength(1);
      // Unregistering always works, without asking.
      expect((await dave.register(0)).status).toBe(200);
      expect(contactsOf(ALPHA.dave.id)).toHaveLength(0);
      expect(await asksFor(ALPHA.dave.id)).toBe(2);
    } finally {
      await setDaveStatus('suspended');
      kamcmd('htable.delete', 'regok', ALPHA.dave.id);
    }
  });
});

describe('registration and calls from SIPp over UDP', () => {
  const target = () => `127.0.0.1:${edge.ports.udp}`;
  const keys = (user: string) => ({ user, domain: edge.sipDomain, expires: '0' });

  it('a valid credential registers', async () => {
    const result = await runSipp('register.xml', {
      target: target(),
      localPort: 25201,
      keys: keys(ALPHA.bob.id),
      auth: credentialsFor(ALPHA.bob.id),
    });
    expect(result.errors).toBe('');
    expect(result.passed).toBe(true);
  });

  it('expired, forged and cross-user credentials are refused with 403', async () => {
    for (const auth of [
      credentialsFor(ALPHA.bob.id, now() - 60),
      mintCredentials('forged', ALPHA.bob.id),
      credentialsFor(ALPHA.alice.id), // Alice's credential, registering Bob
    ]) {
      const result = await runSipp('register-refused.xml', { target: target(), localPort: 25202, keys: keys(ALPHA.bob.id), auth });
      expect(result.errors).toBe('');
      expect(result.passed).toBe(true);
    }
    expect(contactsOf(ALPHA.bob.id)).toHaveLength(0);
  });

  it('an unauthenticated INVITE from an address other than the gateway is challenged, not taken as the phone network', async () => {
    const result = await runSipp('invite-unauthenticated.xml', {
      target: target(),
      localPort: 25203,
      keys: { caller: '+441614960001', callee: ALPHA.alice.number, domain: target() },
    });
    expect(result.errors).toBe('');
    expect(result.passed).toBe(true);
  });
});

describe('registrations feed presence', () => {
  /** Carol's state as his colleague Alice's app sees it (`GET /api/presence/colleagues`). */
  async function carolAsAliceSees(cookie: string): Promise<string | undefined> {
    const res = await fetch(`${edge.appUrl}/api/presence/colleagues`, { headers: { Cookie: cookie } });
    const { colleagues } = (await res.json()) as { colleagues: Array<{ userId: string; state: string }> };
    return colleagues.find((c) => c.userId === ALPHA.carol.id)?.state;
  }

  it('a device registering makes its user available to colleagues with no app open; unregistering makes them offline', async () => {
    const cookie = await signInCookie(edge.appUrl, ALPHA.alice.email, ALPHA.alice.password);
    const until = async (state: string) => {
      for (let i = 0; i < 100 && (await carolAsAliceSees(cookie)) !== state; i++) await new Promise((r) => setTimeout(r, 50));
      return carolAsAliceSees(cookie);
    };
    expect(await carolAsAliceSees(cookie)).toBe('offline');

    const deskPhone = await udpUser(ALPHA.carol.id);
    expect((await deskPhone.register()).status).toBe(200);
    // Kamailio → the edge agent's spool → the Worker → the business's hub.
    expect(await until('available')).toBe('available');

    expect((await deskPhone.register(0)).status).toBe(200);
    expect(await until('offline')).toBe('offline');
  });
});
