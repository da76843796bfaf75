import type { CallKind, CallOutcome } from '../../shared/calls-api';

/** A `calls` row as D1 returns it. */
export interface CallRow {
  id: string;
  business_id: string;
  call_id: string;
  direction: CallKind;
  source: 'client' | 'phone_network';
  from_user: string;
  dialled: string;
  caller_user_id: string | null;
  remote_number: string | null;
  our_number: string | null;
  target_user_ids: string;
  rang_user_ids: string;
  action: string;
  decision_code: number | null;
  plan: 'licensed' | 'payg';
  routed_at: number;
  started_at: number;
  ringing_at: number | null;
  answered_at: number | null;
  answered_user_id: string | null;
  answered_contact: string | null;
  /** The answering device as its user knows it ("Chrome on Android"): its session's label (0010). */
  answered_device: string | null;
  ended_at: number | null;
  ended_by: 'caller' | 'callee' | 'edge' | 'sweep' | null;
  final_code: number | null;
  outcome: CallOutcome | null;
  duration_ms: number;
  billable_seconds: number;
  rate_prefix: string | null;
  rate_millicents_per_minute: number | null;
  cost_millicents: number;
  cost_cents: number;
  events: number;
  updated_at: number;
}

/** A JSON array column, read defensively. */
export function userIds(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** Outcomes that count as a missed call for the people it was for (not declined: they chose). */
export const MISSED_OUTCOMES: ReadonlySet<CallOutcome> = new Set(['missed', 'busy', 'voicemail']);

/** Whether the call is a missed call for a callee: it was for them, nobody took it and nobody declined it. */
export function missedForCallee(row: Pick<CallRow, 'direction' | 'outcome'>): boolean {
  return row.direction !== 'outbound' && row.outcome !== null && MISSED_OUTCOMES.has(row.outcome);
}
