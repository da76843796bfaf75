import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeProcess } from '../../scripts/lib/edge-process';
import { freePorts } from '../../scripts/lib/ports';
import { mintCredentials } from './support/credentials';
import { credentialsFor, edge } from './support/edge-context';
import { ALPHA } from './support/fixtures';
import { startSideKamailio } from './support/side-kamailio';
import { header } from './support/sip/message';
import { wsTransport } from './support/sip/transport';
import { SipUser } from './support/sip/user-agent';
import { selfSignedCertificate } from './support/tls-certificate';

/**
 * SIP over secure WebSocket (wss://), as browsers reach a deployed edge
 * (`-A WITH_WSS`, edge/README.md). The shared edge runs plain ws:// only, so
 * this file starts a Kamailio of its own with the same config, the edge's
 * secrets and Worker, a TLS listener and a certificate made for the run;
 * the clients pin that certificate, as a browser trusts a real one.
 */
let kamailio: EdgeProcess | undefined;
let wssUrl: string;
let ctlSocket: string;
let pem: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(edge.workDir, 'wss-'));
  const certificate = selfSignedCertificate(dir);
  pem = certificate.pem;
  const [ws, udp, wss] = (await freePorts(3)) as [number, number, number];
  // No call here is anchored or goes out: the shared edge's rtpengine and gateway stay unused.
  const side = await startSideKamailio({
    ws,
    udp,
    dir,
    wss: { port: wss, certificate: certificate.certificate, privateKey: certificate.privateKey },
  });
  kamailio = side.process;
  ctlSocket = side.ctlSocket;
  wssUrl = `wss://127.0.0.1:${wss}`;
});
afterAll(async () => {
  await kamailio?.stop();
});

const open: SipUser[] = [];
afterEach(async () => {
  for (const ua of open.splice(0)) await ua.close();
});

/** A SIP user over wss:// to this file's Kamailio. */
async function wssUser(user: string, credentials: { username: string; password: string } | null = credentialsFor(user)) {
  const ua = new SipUser({
    transport: await wsTransport(wssUrl, { ca: pem }),
    user,
    domain: edge.sipDomain,
    credentials: credentials ?? undefined,
  });
  open.push(ua);
  return ua;
}

/** The contacts this Kamailio holds for a user, with the socket each registered on. */
function registrationsOf(user: string): { address: string; socket: string }[] {
  const out = kamcmdHere('ul.lookup', 'location', `${user}@${edge.sipDomain}`);
  return [...out.matchAll(/Address: (\S+)[\s\S]*?Socket: (\S+)/g)].map((m) => ({ address: m[1] as string, socket: m[2] as string }));
}

/** kamcmd against this file's Kamailio (edge-context's `kamcmd` talks to the shared edge's). */
function kamcmdHere(...args: string[]): string {
  const result = spawnSync('kamcmd', ['-s', `unix:${ctlSocket}`, ...args], { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`;
}

describe('SIP over wss://', () => {
  it('registers with a valid credential (200), over the TLS listener', async () => {
    const alice = await wssUser(ALPHA.alice.id);
    const res = await alice.register();
    expect(res.status).toBe(200);
    const [registration, ...others] = registrationsOf(ALPHA.alice.id);
    expect(others).toEqual([]);
    expect(registration?.socket).toBe(`tls:127.0.0.1:${new URL(wssUrl).port}`);
  });

  it('challenges a REGISTER without credentials (401) and refuses a forged one (403)', async () => {
    const anonymous = await wssUser(ALPHA.bob.id, null);
    const challenged = await anonymous.register();
    expect(challenged.status).toBe(401);
    expect(header(challenged, 'www-authenticate')).toMatch(new RegExp(`^Digest realm="${edge.sipDomain}"`));

    const forged = await wssUser(ALPHA.bob.id, mintCredentials('not-the-edge-secret', ALPHA.bob.id));
    expect((await forged.register()).status).toBe(403);
    expect(registrationsOf(ALPHA.bob.id)).toEqual([]);
  });

  it('a call between two wss users rings the callee down its TLS connection', async () => {
    const alice = await wssUser(ALPHA.alice.id);
    const bob = await wssUser(ALPHA.bob.id);
    expect((await alice.register()).status).toBe(200);
    expect((await bob.register()).status).toBe(200);
    const call = alice.call(ALPHA.bob.id);
    const invite = await bob.nextInvite();
    expect(invite.from).toBe(`sip:${ALPHA.alice.id}@${edge.sipDomain}`);
    await invite.answer();
    expect(await call.status()).toBe(200);
    expect((await call.bye()).status).toBe(200);
    await invite.ended;
  });

  it('a client that does not trust the certificate cannot connect (what a browser shows for a bad certificate)', async () => {
    await expect(wsTransport(wssUrl)).rejects.toThrow(/self[- ]signed/i);
  });
});
