/** What every edge test file uses: the shared edge's coordinates, SIP users, the route tap, Kamailio's control socket. */
import { spawnSync } from 'node:child_process';
import { afterEach, inject } from 'vitest';
import { type BaresipControl, controlBaresip } from '../../../scripts/lib/edge-baresip-ctrl';
import { mintCredentials } from './credentials';
import { controlTap, type TapControl } from './route-tap';
import { udpTransport, wsTransport } from './sip/transport';
import { SipUser } from './sip/user-agent';

/** The shared edge (see global-setup.ts). */
export const edge = inject('edge');

/** Credentials as the Worker mints them (the expiry in Unix seconds, an hour ahead by default). */
export function credentialsFor(userId: string, expiry?: number) {
  return mintCredentials(edge.sipAuthSecret, userId, expiry);
}

const open: SipUser[] = [];
afterEach(async () => {
  // Unregister and close whatever a test left open, so no stale contact rings in the next one.
  for (const ua of open.splice(0)) await ua.close();
});

/** A SIP user over WebSocket (the browser's way), closed after the test. */
export async function wsUser(
  user: string,
  credentials: { username: string; password: string } | null = credentialsFor(user),
): Promise<SipUser> {
  const ua = new SipUser({
    transport: await wsTransport(`ws://127.0.0.1:${edge.ports.ws}`),
    user,
    domain: edge.sipDomain,
    credentials: credentials ?? undefined,
  });
  open.push(ua);
  return ua;
}

/** A SIP user over UDP from a port of its own (never the gateway's), closed after the test. */
export async function udpUser(
  user: string,
  credentials: { username: string; password: string } | null = credentialsFor(user),
): Promise<SipUser> {
  const ua = new SipUser({
    transport: await udpTransport(edge.ports.udp),
    user,
    domain: edge.sipDomain,
    credentials: credentials ?? undefined,
  });
  open.push(ua);
  return ua;
}

/** A registered user over WebSocket. */
export async function registeredUser(user: string): Promise<SipUser> {
  const ua = await wsUser(user);
  const res = await ua.register();
  if (res.status !== 200) throw new Error(`could not register ${user}: ${res.status} ${res.reason}`);
  return ua;
}

/** Changes the route tap (mode, overrides) and returns its records. */
export function tap(change: TapControl = {}) {
  return controlTap(edge.tapControlUrl, change);
}

/** Runs `kamcmd` against the edge's Kamailio and returns its output. */
export function kamcmd(...args: string[]): string {
  const result = spawnSync('kamcmd', ['-s', `unix:${edge.ctlSocket}`, ...args], { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`;
}

/** The contacts Kamailio holds for a user (its registered devices). */
export function contactsOf(user: string): string[] {
  const out = kamcmd('ul.lookup', 'location', `${user}@${edge.sipDomain}`);
  return [...out.matchAll(/Address: (\S+)/g)].map((m) => m[1] as string);
}

/** A control connection to the simulated phone network (baresip's ctrl_tcp takes one client at a time). */
export function gatewayControl() {
  return controlBaresip(edge.ports.gatewayCtrl);
}

/** The gateway calls one of our numbers; `closed` resolves with its CALL_CLOSED event. */
export async function callFromPhoneNetwork(gateway: BaresipControl, number: string) {
  const since = gateway.events.length;
  await gateway.command('dial', `sip:${number}@127.0.0.1:${edge.ports.udp}`);
  return { closed: () => gateway.waitFor('CALL_CLOSED', { since, timeoutMs: 8000 }) };
}

/** The routing decision the Worker (or a tap override) gave for a call. */
export async function decisionFor(callId: string) {
  return (await tap()).records.find((r) => r.body.callId === callId);
}
