import { Hono } from 'hono';
import { adminCallsQuery, dateRange } from '../../shared/calls-api';
import { requireAdmin } from '../auth/middleware';
import type { AppEnv } from '../platform/context';
import { problems } from '../platform/problem';
import { queryParams } from '../platform/validate';
import { dayRange, recordsPage, toAdminRecord } from './admin-records';
import { decodeCursor, encodeCursor, NEWEST } from './cursor';
import { exportStream } from './export';

/** A user of the admin's own business, or a 404 exactly as if they did not exist. */
async function ownUser(db: D1Database, businessId: string, userId: string | undefined): Promise<void> {
  if (!userId) return;
  const found = await db.prepare('SELECT 1 AS ok FROM users WHERE business_id = ? AND id = ?').bind(businessId, userId).first('ok');
  if (!found) throw problems.notFound('user');
}

const FORMATS = { 'export.csv': 'csv', 'export.json': 'json' } as const;

/**
 * The business's call records for its admins (`/api/admin/calls`): a page by
 * date range and user, and the billing export (CSV or JSON) for a range.
 * Mounted before `/api/admin`, so it checks the role itself.
 */
export const adminCallRoutes = new Hono<AppEnv>()
  .use(requireAdmin)
  .get('/', async (c) => {
    const query = queryParams(c, adminCallsQuery);
    const { businessId } = c.get('auth');
    await ownUser(c.env.DB, businessId, query.userId);
    const rows = await recordsPage(
      c.env.DB,
      { businessId, ...dayRange(query), userId: query.userId },
      { after: decodeCursor(query.cursor) ?? NEWEST, limit: query.limit + 1, order: 'desc' },
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    c.header('Cache-Control', 'private, no-store');
    return c.json({
      calls: page.map((r) => toAdminRecord(r)),
      next: rows.length > query.limit && last ? encodeCursor({ routedAt: last.routed_at, id: last.id }) : null,
    });
  })
  .get('/:file{export\\.(csv|json)}', async (c) => {
    const range = queryParams(c, dateRange);
    const format = FORMATS[c.req.param('file') as keyof typeof FORMATS];
    const { businessId } = c.get('auth');
    const log = c.get('log');
    const stream = exportStream(c.env.DB, { businessId, ...dayRange(range) }, format, {
      onError: (error) => log('error', 'call export failed part-way', { businessId, error: String(error) }),
    });
    const name = `calls-${range.from}-to-${range.to}.${format}`;
    return new Response(stream, {
      headers: {
        'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'private, no-store',
      },
    });
  });
