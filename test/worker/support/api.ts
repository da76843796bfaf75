import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { guardName } from '../../../worker/abuse/limits';
import { hashPassword } from '../../../worker/auth/password';

export const ORIGIN = 'https://app.test';

/** A client with its own cookie jar and address, like one browser on one network. */
export class Client {
  cookie: string | undefined;
  constructor(readonly ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const res = await SELF.fetch(`${ORIGIN}${path}`, {
      method,
      headers: {
        'CF-Connecting-IP': this.ip,
        Origin: ORIGIN,
        'User-Agent': 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(this.cookie ? { Cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('Set-Cookie');
    if (set) {
      const [pair] = set.split(';');
      this.cookie = pair?.endsWith('=') ? undefined : pair;
    }
    return res;
  }
  get = (path: string) => this.call('GET', path);
  post = (path: string, body: unknown = {}) => this.call('POST', path, body);
  patch = (path: string, body: unknown) => this.call('PATCH', path, body);
  del = (path: string) => this.call('DELETE', path);
}

/** JSON of a response, typed loosely for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary fields
export const json = (res: Response): Promise<any> => res.json();

let counter = 0;

/** A business with an admin (email + password), a user, and a pool of numbers, written straight into D1. */
export async function seedBusiness(options: { pool?: number; status?: string; licensed?: boolean } = {}) {
  const n = ++counter;
  const tag = `${n}${Math.random().toString(36).slice(2, 7)}`;
  const now = Date.now();
  const business = { id: `biz_${tag}`, name: `Business ${tag}` };
  const admin = { id: `usr_a_${tag}`, email: `admin-${tag}@biz.example`, password: `admin pass ${tag} long` };
  const user = { id: `usr_u_${tag}`, email: `user-${tag}@biz.example`, password: `user pass ${tag} long` };
  const statements = [
    env.DB.prepare("INSERT INTO businesses (id, name, country, status, seats, created_at) VALUES (?, ?, 'GB', ?, ?, ?)").bind(
      business.id,
      business.name,
      options.status ?? 'active',
      options.licensed ? 10 : 0,
      now,
    ),
    env.DB.prepare(
      "INSERT INTO users (id, business_id, name, email, role, password_hash, created_at, updated_at) VALUES (?, ?, 'Admin', ?, 'admin', ?, ?, ?)",
    ).bind(admin.id, business.id, admin.email, await hashPassword(admin.password), now, now),
    env.DB.prepare(
      "INSERT INTO users (id, business_id, name, email, role, password_hash, created_at, updated_at) VALUES (?, ?, 'User', ?, 'user', ?, ?, ?)",
    ).bind(user.id, business.id, user.email, await hashPassword(user.password), now, now),
  ];
  if (options.licensed) {
    // The admin and the user each hold a seat with calling, SMS and voicemail.
    for (const id of [admin.id, user.id]) {
      statements.push(
        env.DB.prepare(
          'INSERT INTO user_licences (business_id, user_id, calling, sms, voicemail, recording, assigned_at, updated_at) VALUES (?, ?, 1, 1, 1, 0, ?, ?)',
        ).bind(business.id, id, now, now),
      );
    }
  }
  const numbers: string[] = [];
  for (let i = 0; i < (options.pool ?? 3); i++) {
    const e164 = `+4420794${String(n % 100).padStart(2, '0')}${String(i).padStart(3, '0')}`;
    numbers.push(e164);
    statements.push(
      env.DB.prepare("INSERT INTO numbers (id, business_id, e164, kind, created_at) VALUES (?, ?, ?, 'pool', ?)").bind(
        `num_${tag}_${i}`,
        business.id,
        e164,
        now,
      ),
    );
  }
  await env.DB.batch(statements);
  return { business, admin, user, numbers };
}

/** Signs a client in with email and password; fails the test if it does not work. */
export async function signedIn(email: string, password: string, client = new Client()): Promise<Client> {
  const res = await client.post('/api/auth/signin', { email, password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return client;
}

interface OutboxRow {
  body: string;
  subject: string | null;
}

/** The newest dev-outbox message to a recipient, if any (emails leave after the response: see `waitForMessage`). */
export function lastMessage(recipient: string): Promise<OutboxRow | null> {
  return env.DB.prepare('SELECT body, subject FROM dev_outbox WHERE recipient = ? ORDER BY created_at DESC, rowid DESC LIMIT 1')
    .bind(recipient)
    .first<OutboxRow>();
}

/** Waits (up to 3 s) for the number of messages to a recipient to exceed `after`, and returns the newest. */
export async function waitForMessage(recipient: string, after = 0): Promise<OutboxRow> {
  for (let i = 0; i < 60; i++) {
    const row = await env.DB.prepare('SELECT COUNT(*) AS n FROM dev_outbox WHERE recipient = ?').bind(recipient).first<{ n: number }>();
    if ((row?.n ?? 0) > after) return (await lastMessage(recipient)) as OutboxRow;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no message to ${recipient}`);
}

/** How many messages went to a recipient. */
export async function messageCount(recipient: string): Promise<number> {
  return (await env.DB.prepare('SELECT COUNT(*) AS n FROM dev_outbox WHERE recipient = ?').bind(recipient).first<{ n: number }>())?.n ?? 0;
}

/** Pulls a `token=` out of an emailed link. */
export function tokenIn(text: string | undefined): string {
  const match = text?.match(/token=([A-Za-z0-9_-]+)/);
  if (!match?.[1]) throw new Error(`no token in: ${text}`);
  return match[1];
}

/** Pulls the 6-digit code out of an SMS. */
export function codeIn(text: string | undefined): string {
  const match = text?.match(/\b(\d{6})\b/);
  if (!match?.[1]) throw new Error(`no code in: ${text}`);
  return match[1];
}

/** Forgets a limit's state for a key, as if its window had passed (tests cannot wait 30 s). */
export async function forgetLimit(name: string, key: string): Promise<void> {
  await env.ABUSE_GUARD.getByName(await guardName(name, key)).forget();
}
