import { Hono } from 'hono';
import { type AuditEntry, type AuditPage, auditQuery } from '../../shared/admin-api';
import type { AppEnv } from '../platform/context';
import { problems } from '../platform/problem';
import { queryParams } from '../platform/validate';

interface AuditRow {
  id: string;
  created_at: number;
  action: AuditEntry['action'];
  actor_user_id: string;
  actor_name: string | null;
  target_type: AuditEntry['target']['type'];
  target_id: string;
  target_label: string | null;
  before_json: string;
  after_json: string;
}

/** A page boundary: the last entry's time and id ("1764300000000:aud_…"). */
const CURSOR = /^(\d{1,15}):([A-Za-z0-9_-]{1,64})$/;

function readCursor(cursor: string | undefined): { at: number; id: string } | null {
  if (cursor === undefined) return null;
  const m = CURSOR.exec(cursor);
  if (!m?.[1] || !m[2])
    throw problems.validation([{ field: 'cursor', code: 'invalid_cursor', message: 'Use the nextCursor of the page before.' }]);
  return { at: Number(m[1]), id: m[2] };
}

/**
 * The audit log, newest first, by keyset (time, id): a page never repeats or
 * skips an entry when new ones arrive meanwhile. Names (and whom an
 * invitation is for) are looked up when read, not stored, so the log holds
 * no personal data of its own.
 */
export const adminAuditRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const { cursor, limit } = queryParams(c, auditQuery);
  const after = readCursor(cursor);
  const { results } = await c.env.DB.prepare(
    `SELECT l.id, l.created_at, l.action, l.actor_user_id, a.name AS actor_name, l.target_type, l.target_id,
            CASE l.target_type WHEN 'user' THEN t.name WHEN 'number' THEN n.e164
                               WHEN 'invitation' THEN COALESCE(i.name, i.email, i.mobile) END AS target_label,
            l.before_json, l.after_json
       FROM audit_log l
       LEFT JOIN users a ON a.business_id = l.business_id AND a.id = l.actor_user_id
       LEFT JOIN users t ON l.target_type = 'user' AND t.business_id = l.business_id AND t.id = l.target_id
       LEFT JOIN numbers n ON l.target_type = 'number' AND n.business_id = l.business_id AND n.id = l.target_id
       LEFT JOIN invitations i ON l.target_type = 'invitation' AND i.business_id = l.business_id AND i.id = l.target_id
      WHERE l.business_id = ?1 AND (?2 IS NULL OR l.created_at < ?2 OR (l.created_at = ?2 AND l.id < ?3))
      ORDER BY l.created_at DESC, l.id DESC
      LIMIT ?4`,
  )
    .bind(c.get('auth').businessId, after?.at ?? null, after?.id ?? null, limit + 1)
    .all<AuditRow>();
  const rows = results.slice(0, limit);
  const last = rows.at(-1);
  const page: AuditPage = {
    entries: rows.map((r) => ({
      id: r.id,
      at: r.created_at,
      action: r.action,
      actor: { id: r.actor_user_id, name: r.actor_name },
      target: { type: r.target_type, id: r.target_id, label: r.target_label },
      before: JSON.parse(r.before_json) as Record<string, unknown>,
      after: JSON.parse(r.after_json) as Record<string, unknown>,
    })),
    nextCursor: results.length > limit && last ? `${last.created_at}:${last.id}` : null,
  };
  c.header('Cache-Control', 'no-store');
  return c.json(page);
});
