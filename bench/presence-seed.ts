/**
 * The benchmark's business: the demo business (its user signs in through
 * the API and toggles do-not-disturb) plus colleagues, each with a session
 * written straight into D1 in one batch, so a thousand sockets need no
 * thousand password checks (and trip no sign-in rate limit).
 */
import { createHash, randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../scripts/lib/seed';
import { executeFile } from '../scripts/lib/wrangler';
import { SESSION_COOKIE } from '../test/support/sign-in';

/** A seeded colleague and the cookie of their session. */
export interface SeededUser {
  userId: string;
  cookie: string;
}

const q = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`);

/** Adds `count` users with one live session each to the demo business; returns their cookies. */
export async function seedColleagues(count: number, persistTo: string): Promise<SeededUser[]> {
  if (count <= 0) return [];
  const now = Date.now();
  const users: SeededUser[] = [];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const userId = `usr_bench_${i}`;
    const token = randomBytes(32).toString('base64url');
    const hash = createHash('sha256').update(token).digest('hex');
    lines.push(
      `INSERT INTO users (id, business_id, name, email, role, status, created_at, updated_at) VALUES (${q(userId)}, ${q(DEMO.business.id)}, ${q(`Bench User ${i}`)}, ${q(`bench-${i}@demo.example`)}, 'user', 'active', ${now}, ${now});`,
      `INSERT INTO sessions (id, token_hash, business_id, user_id, device_label, ip, created_at, last_seen_at, idle_expires_at, absolute_expires_at) VALUES (${q(`ses_bench_${i}`)}, ${q(hash)}, ${q(DEMO.business.id)}, ${q(userId)}, 'bench', '127.0.0.1', ${now}, ${now}, ${now + 86_400_000}, ${now + 86_400_000});`,
    );
    users.push({ userId, cookie: `${SESSION_COOKIE}=${token}` });
  }
  const file = join(tmpdir(), `softphone-bench-presence-${process.pid}.sql`);
  writeFileSync(file, lines.join('\n'));
  try {
    await executeFile(file, persistTo);
  } finally {
    // Applied (or failed): the file is not kept in the shared temp directory.
    rmSync(file, { force: true });
  }
  return users;
}
