/**
 * The edge tests' world, written straight into the test wrangler's D1: two
 * businesses, their users and numbers. London drama numbers (020 7946 0xxx)
 * belong to the businesses; the simulated phone network owns Manchester's
 * (0161 496 000x, SIMULATED_NUMBERS).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeFile } from '../../../scripts/lib/wrangler';
import { hashPassword } from '../../../worker/auth/password';

/** Business A: alice and bob have numbers, carol has none (and no voicemail), dave is suspended. */
export const ALPHA = {
  id: 'biz_edge_alpha',
  main: '+442079460200',
  alice: { id: 'usr_edge_alice', email: 'alice@alpha.example', password: 'alice edge test password', number: '+442079460201' },
  bob: { id: 'usr_edge_bob', number: '+442079460202' },
  carol: { id: 'usr_edge_carol' },
  dave: { id: 'usr_edge_dave', number: '+442079460203' },
  /** Rung only in the Worker-outage tests, so other tests' calls never touch its cache entry. */
  frank: { id: 'usr_edge_frank', number: '+442079460204' },
  /** The media tests' baresip phone. */
  grace: { id: 'usr_edge_grace', number: '+442079460205' },
} as const;

/** Business B: erin, whom business A must never reach by id or number. */
export const BETA = {
  id: 'biz_edge_beta',
  erin: { id: 'usr_edge_erin', number: '+442079460301' },
} as const;

const q = (v: string | null) => (v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`);

/** Writes the fixtures into the local D1 at `persistTo`. */
export async function seedEdgeFixtures(persistTo: string): Promise<void> {
  const now = Date.now();
  const lines: string[] = [];
  for (const [id, name] of [
    [ALPHA.id, 'Alpha Dental'],
    [BETA.id, 'Beta Legal'],
  ] as const) {
    lines.push(
      `INSERT INTO businesses (id, name, country, plan, status, seats, created_at) VALUES (${q(id)}, ${q(name)}, 'GB', 'licensed', 'active', 10, ${now});`,
    );
  }
  const users: Array<{ id: string; business: string; status: string; email?: string; password?: string }> = [
    { id: ALPHA.alice.id, business: ALPHA.id, status: 'active', email: ALPHA.alice.email, password: ALPHA.alice.password },
    { id: ALPHA.bob.id, business: ALPHA.id, status: 'active' },
    { id: ALPHA.carol.id, business: ALPHA.id, status: 'active' },
    { id: ALPHA.dave.id, business: ALPHA.id, status: 'suspended' },
    { id: ALPHA.frank.id, business: ALPHA.id, status: 'active' },
    { id: ALPHA.grace.id, business: ALPHA.id, status: 'active' },
    { id: BETA.erin.id, business: BETA.id, status: 'active' },
  ];
  for (const u of users) {
    const email = u.email ?? `${u.id}@edge.example`;
    const hash = u.password ? await hashPassword(u.password) : null;
    lines.push(
      `INSERT INTO users (id, business_id, name, email, role, status, password_hash, created_at, updated_at) VALUES (${q(u.id)}, ${q(u.business)}, ${q(u.id)}, ${q(email)}, 'user', ${q(u.status)}, ${q(hash)}, ${now}, ${now});`,
      // Every fixture user holds a seat with calling: licences are not what these tests are about.
      // Carol's has no voicemail, so an unanswered call to her fails rather than going to her mailbox.
      `INSERT INTO user_licences (business_id, user_id, calling, sms, voicemail, recording, assigned_at, updated_at) VALUES (${q(u.business)}, ${q(u.id)}, 1, 1, ${u.id === ALPHA.carol.id ? 0 : 1}, 0, ${now}, ${now});`,
    );
  }
  const numbers: Array<[string, string, string | null, 'pool' | 'main']> = [
    [ALPHA.id, ALPHA.main, null, 'main'],
    [ALPHA.id, ALPHA.alice.number, ALPHA.alice.id, 'pool'],
    [ALPHA.id, ALPHA.bob.number, ALPHA.bob.id, 'pool'],
    [ALPHA.id, ALPHA.dave.number, ALPHA.dave.id, 'pool'],
    [ALPHA.id, ALPHA.frank.number, ALPHA.frank.id, 'pool'],
    [ALPHA.id, ALPHA.grace.number, ALPHA.grace.id, 'pool'],
    [BETA.id, BETA.erin.number, BETA.erin.id, 'pool'],
  ];
  numbers.forEach(([business, e164, user, kind], i) => {
    lines.push(
      `INSERT INTO numbers (id, business_id, e164, kind, assigned_user_id, created_at) VALUES ('num_edge_${i}', ${q(business)}, ${q(e164)}, '${kind}', ${q(user)}, ${now});`,
    );
  });
  const file = join(persistTo, 'edge-fixtures.sql');
  writeFileSync(file, lines.join('\n'));
  await executeFile(file, persistTo);
}
