/** Extensions: short internal numbers for colleague-to-colleague calls. */

/**
 * The active user of this business who has this extension, or null (none,
 * or they are suspended). The call routing decision reads the same with the
 * rest of its lookups in one query (worker/edge/route-lookups.ts, `extensionLookup`).
 */
export async function userForExtension(db: D1Database, businessId: string, extension: string): Promise<string | null> {
  return db
    .prepare(
      `SELECT x.user_id FROM extensions x JOIN users u ON u.business_id = x.business_id AND u.id = x.user_id
        WHERE x.business_id = ? AND x.extension = ? AND u.status = 'active'`,
    )
    .bind(businessId, extension)
    .first<string>('user_id');
}
