import type { MaintenanceJob } from '../maintenance/cron';

const DAY = 24 * 60 * 60 * 1000;

/** Contacts are kept one month after the account (user or business) is terminated (PRODUCT.md, retention). */
export const CONTACTS_AFTER_TERMINATION_MS = 30 * DAY;
/**
 * Tombstones tell devices of a deletion; after 90 days a device that has
 * not synced since is told to start over (`reset`) instead.
 */
export const TOMBSTONE_KEEP_MS = 90 * DAY;
/** An import's batch records: long enough to retry or roll back any import. */
export const IMPORT_RECORD_KEEP_MS = 30 * DAY;

/** Who is past the contacts' retention: terminated users, and every user of a terminated business. */
const EXPIRED_OWNERS = `SELECT u.business_id, u.id FROM users u JOIN businesses b ON b.id = u.business_id
                         WHERE COALESCE(MIN(u.terminated_at, b.terminated_at), u.terminated_at, b.terminated_at) < ?1`;

/** The daily sweeps for contacts. */
export const contactRetentionJobs: MaintenanceJob[] = [
  {
    name: 'contacts_after_termination',
    run: async (env, now) => {
      const cutoff = now - CONTACTS_AFTER_TERMINATION_MS;
      // Numbers and emails go with their contact (ON DELETE CASCADE), so
      // meta.changes counts them too: the contacts are counted first.
      const results = await env.DB.batch([
        env.DB.prepare(`SELECT COUNT(*) AS n FROM contacts WHERE (business_id, user_id) IN (${EXPIRED_OWNERS})`).bind(cutoff),
        ...['contacts', 'contact_sync', 'contact_import_batches'].map((table) =>
          env.DB.prepare(`DELETE FROM ${table} WHERE (business_id, user_id) IN (${EXPIRED_OWNERS})`).bind(cutoff),
        ),
      ]);
      return (results[0]?.results as Array<{ n: number }> | undefined)?.[0]?.n ?? 0;
    },
  },
  {
    name: 'contact_tombstones',
    run: async (env, now) => {
      const cutoff = now - TOMBSTONE_KEEP_MS;
      // Remember how far deletions were forgotten, in the same transaction, so older cursors reset.
      const results = await env.DB.batch([
        env.DB.prepare(
          `UPDATE contact_sync SET purged_seq = MAX(purged_seq, (
             SELECT MAX(seq) FROM contacts c WHERE c.business_id = contact_sync.business_id AND c.user_id = contact_sync.user_id
                AND c.deleted_at IS NOT NULL AND c.deleted_at < ?1))
            WHERE EXISTS (SELECT 1 FROM contacts c WHERE c.business_id = contact_sync.business_id AND c.user_id = contact_sync.user_id
                             AND c.deleted_at IS NOT NULL AND c.deleted_at < ?1)`,
        ).bind(cutoff),
        env.DB.prepare('DELETE FROM contacts WHERE deleted_at IS NOT NULL AND deleted_at < ?').bind(cutoff),
      ]);
      return results[1]?.meta.changes ?? 0;
    },
  },
  {
    name: 'contact_import_batches',
    run: async (env, now) =>
      (
        await env.DB.prepare('DELETE FROM contact_import_batches WHERE created_at < ?')
          .bind(now - IMPORT_RECORD_KEEP_MS)
          .run()
      ).meta.changes,
  },
];
