import type { MaintenanceJob } from '../maintenance/cron';
import { deleteAudio } from './audio-store';

const DAY = 24 * 60 * 60 * 1000;

/** Voicemail messages and greetings are kept one month after the account (user or business) is terminated (PRODUCT.md, retention). */
export const VOICEMAIL_AFTER_TERMINATION_MS = 30 * DAY;
/** Objects deleted per round (R2 deletes up to 1,000 keys a call); rounds per run are capped so one run stays within a Worker's limits. */
const CHUNK = 500;
const MAX_PER_RUN = 50_000;

/** Who is past retention: terminated users, and every user of a terminated business (the same rule as contacts). */
const EXPIRED_OWNERS = `SELECT u.business_id, u.id FROM users u JOIN businesses b ON b.id = u.business_id
                         WHERE COALESCE(MIN(u.terminated_at, b.terminated_at), u.terminated_at, b.terminated_at) < ?1`;

/**
 * Deletes the expired owners' rows of one table and their audio, a chunk
 * at a time: the R2 objects first, then the rows naming them, so a run cut
 * short leaves rows that the next run finds again, never audio that nothing
 * points to any more.
 */
async function sweep(env: Env, table: 'voicemail_messages' | 'voicemail_greetings', now: number): Promise<number> {
  const cutoff = now - VOICEMAIL_AFTER_TERMINATION_MS;
  let deleted = 0;
  while (deleted < MAX_PER_RUN) {
    const { results } = await env.DB.prepare(`SELECT r2_key FROM ${table} WHERE (business_id, user_id) IN (${EXPIRED_OWNERS}) LIMIT ?2`)
      .bind(cutoff, CHUNK)
      .all<{ r2_key: string }>();
    if (results.length === 0) break;
    const keys = results.map((r) => r.r2_key);
    await deleteAudio(env.AUDIO, keys);
    const res = await env.DB.prepare(`DELETE FROM ${table} WHERE r2_key IN (SELECT value FROM json_each(?))`)
      .bind(JSON.stringify(keys))
      .run();
    deleted += res.meta.changes;
    if (results.length < CHUNK) break;
  }
  return deleted;
}

/** The daily sweeps for voicemail. */
export const voicemailRetentionJobs: MaintenanceJob[] = [
  { name: 'voicemail_messages_after_termination', run: (env, now) => sweep(env, 'voicemail_messages', now) },
  { name: 'voicemail_greetings_after_termination', run: (env, now) => sweep(env, 'voicemail_greetings', now) },
];
