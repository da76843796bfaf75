/**
 * The demo business for `npm start`, written only into an empty database:
 * an admin, a user and a small pool of numbers. Business numbers come from
 * Ofcom's London range for drama (020 7946 0xxx), mobiles from NANPA's
 * 555-01xx range for fiction: valid to libphonenumber, never a real phone.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../worker/auth/password';
import { executeFile, queryLocal } from './wrangler';

export const DEMO = {
  business: { id: 'biz_demo', name: 'Demo Dental Ltd', country: 'GB' },
  admin: {
    id: 'usr_demo_admin',
    name: 'Ada Admin',
    email: 'admin@demo.example',
    mobile: '+12025550101',
    password: 'demo-admin-softphone',
  },
  user: { id: 'usr_demo_user', name: 'Sam User', email: 'sam@demo.example', mobile: '+12025550102', password: 'demo-user-softphone' },
  numbers: ['+442079460100', '+442079460101', '+442079460102', '+442079460103', '+442079460104'],
  main: '+442079460100',
};

const q = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`);

/** Seeds when there is no business yet; returns whether it wrote anything. */
export async function seedIfEmpty(persistTo?: string): Promise<boolean> {
  const [row] = await queryLocal<{ n: number }>('SELECT COUNT(*) AS n FROM businesses', persistTo);
  if ((row?.n ?? 0) > 0) return false;
  const now = Date.now();
  const { business, admin, user, numbers, main } = DEMO;
  const lines = [
    `INSERT INTO businesses (id, name, country, plan, status, seats, recording_purchased, created_at) VALUES (${q(business.id)}, ${q(business.name)}, ${q(business.country)}, 'licensed', 'active', 10, 1, ${now});`,
  ];
  for (const [u, role] of [
    [admin, 'admin'],
    [user, 'user'],
  ] as const) {
    lines.push(
      `INSERT INTO users (id, business_id, name, email, mobile, role, status, password_hash, created_at, updated_at) VALUES (${q(u.id)}, ${q(business.id)}, ${q(u.name)}, ${q(u.email)}, ${q(u.mobile)}, '${role}', 'active', ${q(await hashPassword(u.password))}, ${now}, ${now});`,
    );
  }
  for (const u of [admin, user]) {
    lines.push(
      `INSERT INTO user_licences (business_id, user_id, calling, sms, voicemail, recording, assigned_at, updated_at) VALUES (${q(business.id)}, ${q(u.id)}, 1, 1, 1, 0, ${now}, ${now});`,
    );
  }
  numbers.forEach((e164, i) => {
    const assigned = i === 1 ? admin.id : i === 2 ? user.id : null;
    lines.push(
      `INSERT INTO numbers (id, business_id, e164, kind, assigned_user_id, created_at) VALUES (${q(`num_demo_${i}`)}, ${q(business.id)}, ${q(e164)}, ${q(e164 === main ? 'main' : 'pool')}, ${q(assigned)}, ${now});`,
    );
  });
  const file = join(tmpdir(), `softphone-seed-${process.pid}.sql`);
  writeFileSync(file, lines.join('\n'));
  try {
    await executeFile(file, persistTo);
  } finally {
    // Applied (or failed): the file is not kept in the shared temp directory.
    rmSync(file, { force: true });
  }
  return true;
}
