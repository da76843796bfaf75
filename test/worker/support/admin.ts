import { env } from 'cloudflare:workers';
import { type Client, seedBusiness, signedIn } from './api';

/** A seeded business with its admin signed in; seats and bought recording set straight in D1 (billing's job). */
export async function adminOf(options: { seats?: number; recordingPurchased?: boolean; pool?: number } = {}) {
  const seed = await seedBusiness({ pool: options.pool ?? 3 });
  await env.DB.prepare('UPDATE businesses SET seats = ?, recording_purchased = ? WHERE id = ?')
    .bind(options.seats ?? 0, options.recordingPurchased ? 1 : 0, seed.business.id)
    .run();
  const admin: Client = await signedIn(seed.admin.email, seed.admin.password);
  return { ...seed, client: admin, numberIds: seed.numbers.map((_, i) => `num_${seed.business.id.slice(4)}_${i}`) };
}

/** One row of the audit log, JSON decoded. */
export interface AuditRow {
  actor_user_id: string;
  action: string;
  target_type: string;
  target_id: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** The business's audit entries, oldest first. */
export async function auditRows(businessId: string): Promise<AuditRow[]> {
  const { results } = await env.DB.prepare(
    'SELECT actor_user_id, action, target_type, target_id, before_json, after_json FROM audit_log WHERE business_id = ? ORDER BY created_at, rowid',
  )
    .bind(businessId)
    .all<Omit<AuditRow, 'before' | 'after'> & { before_json: string; after_json: string }>();
  return results.map(({ before_json, after_json, ...rest }) => ({
    ...rest,
    before: JSON.parse(before_json),
    after: JSON.parse(after_json),
  }));
}

/** A user of the business written straight into D1 (no session), e.g. a second admin or a colleague. */
export async function addUser(businessId: string, options: { role?: 'user' | 'admin'; name?: string; mobile?: string } = {}) {
  const id = `usr_x_${crypto.randomUUID().slice(0, 8)}`;
  const now = Date.now();
  await env.DB.prepare(
    'INSERT INTO users (id, business_id, name, email, mobile, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  )
    .bind(id, businessId, options.name ?? 'Colleague', `${id}@biz.example`, options.mobile ?? null, options.role ?? 'user', now, now)
    .run();
  return id;
}
