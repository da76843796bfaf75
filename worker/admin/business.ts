/** The admin's own business row, with the settings the admin pages show. */
import type { Plan } from '../../shared/admin-api';
import { problems } from '../platform/problem';

export interface BusinessRow {
  id: string;
  country: string;
  plan: Plan;
  spending_limit_cents: number | null;
  seats: number;
  recording_purchased: number;
  recording_enabled: number;
}

/** The caller's business; gone (deleted under a live session) reads as signed out. */
export async function loadBusiness(db: D1Database, businessId: string): Promise<BusinessRow> {
  const row = await db
    .prepare('SELECT id, country, plan, spending_limit_cents, seats, recording_purchased, recording_enabled FROM businesses WHERE id = ?')
    .bind(businessId)
    .first<BusinessRow>();
  if (!row) throw problems.unauthenticated();
  return row;
}
