import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { iceServers } from '../../worker/sip/ice-servers';
import { Client, json, seedBusiness, signedIn } from './support/api';
import { setUserStatus } from './support/edge';

/** base64(HMAC-SHA256(secret, text)), computed here independently of the Worker's code. */
async function hmacBase64(secret: string, text: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
  return btoa(String.fromCharCode(...mac));
}

describe('POST /api/sip/credentials', () => {
  it('needs a session', async () => {
    expect((await new Client().post('/api/sip/credentials')).status).toBe(401);
  });

  it("mints auth_ephemeral credentials for the signed-in user that verify with the edge's secret", async () => {
    const b = await seedBusiness({ licensed: true });
    const client = await signedIn(b.user.email, b.user.password);
    const before = Math.floor(Date.now() / 1000);
    const res = await client.post('/api/sip/credentials');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = await json(res);
    const [expiry, user] = body.username.split(':');
    expect(user).toBe(b.user.id);
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + 12 * 3600);
    expect(Number(expiry)).toBeLessThanOrEqual(before + 12 * 3600 + 5);
    expect(body.expiresAt).toBe(Number(expiry) * 1000);
    expect(body.password).toBe(await hmacBase64(env.SIP_AUTH_SECRET, body.username));
    expect(body).toMatchObject({
      uri: `sip:${b.user.id}@${env.SIP_DOMAIN}`,
      wsUrl: env.EDGE_WS_URL,
      iceServers: [],
      realm: env.SIP_DOMAIN,
    });
  });

  it('a credential is worthless for another user: the password is bound to the username', async () => {
    const b = await seedBusiness({ licensed: true });
    const mine = await json(await (await signedIn(b.user.email, b.user.password)).post('/api/sip/credentials'));
    const forged = mine.username.replace(b.user.id, b.admin.id);
    expect(await hmacBase64(env.SIP_AUTH_SECRET, forged)).not.toBe(mine.password);
  });

  it('gives each signed-in device its own public device id (for its SIP Contact), the same with every credential', async () => {
    const b = await seedBusiness({ licensed: true });
    const first = await signedIn(b.user.email, b.user.password);
    const second = await signedIn(b.user.email, b.user.password);
    const deviceId = async (client: Client) => (await json(await client.post('/api/sip/credentials'))).deviceId;
    const id = await deviceId(first);
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(await deviceId(first)).toBe(id);
    expect(await deviceId(second)).not.toBe(id);
    // Public, not a key: it is neither the session's id nor its token.
    const session = await env.DB.prepare('SELECT id, token_hash FROM sessions WHERE device_id = ?').bind(id).first<{ id: string }>();
    expect(session?.id).toMatch(/^ses_/);
    expect(first.cookie).not.toContain(id);
  });

  it('a suspended user gets none', async () => {
    const b = await seedBusiness({ licensed: true });
    const client = await signedIn(b.user.email, b.user.password);
    await setUserStatus(b.business.id, b.user.id, 'suspended');
    expect((await client.post('/api/sip/credentials')).status).toBe(401);
  });
});

describe('ICE_SERVERS', () => {
  it('reads a JSON array of RTCIceServer; anything else is no servers and an error', () => {
    const errors: string[] = [];
    const onError = (m: string) => errors.push(m);
    expect(iceServers('[{"urls":"stun:stun.example.com:3478"}]', onError)).toEqual([{ urls: 'stun:stun.example.com:3478' }]);
    expect(iceServers('[{"urls":["turn:t.example.com"],"username":"u","credential":"c"}]', onError)).toHaveLength(1);
    expect(iceServers('', onError)).toEqual([]);
    expect(errors).toEqual([]);
    expect(iceServers('{"urls":1}', onError)).toEqual([]);
    expect(iceServers('not json', onError)).toEqual([]);
    expect(errors).toHaveLength(2);
  });
});
