import { env } from 'cloudflare:workers';
import Papa from 'papaparse';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXPORT_COLUMNS } from '../../shared/calls-api';
import { EXPORT_PAGE_ROWS, exportStream } from '../../worker/calls/export';
import { seedBusiness, signedIn } from './support/api';

const EXTERNAL = '+441614960001';
const today = () => new Date().toISOString().slice(0, 10);
/** Cloudflare D1: queries one Worker invocation may make on Workers Paid (D1 limits). */
const D1_QUERIES_PER_INVOCATION = 1000;

/** Writes `count` finished outbound records of the business, `stepMs` apart, ending now. */
async function bulkRecords(businessId: string, userId: string, count: number, stepMs: number, now = Date.now()): Promise<void> {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?5)
     INSERT INTO calls (id, business_id, call_id, direction, source, from_user, dialled, caller_user_id, remote_number, action, plan,
                        routed_at, started_at, outcome, updated_at)
     SELECT printf('call_%s_%06d', substr(?1, 5), i), ?1, printf('bulk-%d-%s@test', i, ?1), 'outbound', 'client', ?2, ?3, ?2, ?3, 'phone_network',
            'licensed', ?4 - i * ?6, ?4 - i * ?6, 'failed', ?4 FROM n`,
  )
    .bind(businessId, userId, EXTERNAL, now, count, stepMs)
    .run();
}

/** Reads a stream to its end or its error: the text received, and the error if it failed. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<{ text: string; error: unknown }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: undefined };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

/** Makes the nth (1-based) and later admin-record page queries fail, as D1 refusing or unreachable would. */
function failPagesFrom(nth: number) {
  const prepare = env.DB.prepare.bind(env.DB);
  let pages = 0;
  return vi.spyOn(env.DB, 'prepare').mockImplementation((sql: string) => {
    if (sql.includes('cu.name AS caller_name') && ++pages >= nth) throw new Error('D1_ERROR: too many queries (test)');
    return prepare(sql);
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the billing export at scale', () => {
  it('a million records fit D1’s query budget for one invocation with room to spare', () => {
    const queries = Math.ceil(1_000_000 / EXPORT_PAGE_ROWS) + 1; // pages, and the one that finds nothing more
    expect(queries).toBeLessThanOrEqual(D1_QUERIES_PER_INVOCATION / 4);
  });

  it('streams more than a page without losing or repeating a record, one D1 query per page', async () => {
    const b = await seedBusiness({ licensed: true });
    const admin = await signedIn(b.admin.email, b.admin.password);
    const count = EXPORT_PAGE_ROWS + 203;
    const now = Date.now();
    await bulkRecords(b.business.id, b.user.id, count, 100, now);
    const prepare = vi.spyOn(env.DB, 'prepare');
    const res = await admin.get(`/api/admin/calls/export.csv?from=${today()}&to=${today()}`);
    const text = await res.text();
    const pageQueries = prepare.mock.calls.filter(([sql]) => String(sql).includes('cu.name AS caller_name')).length;
    const rows = Papa.parse<Record<string, string>>(text.trim(), { header: true }).data;
    // Records just after midnight UTC would fall outside "today": only count them when the range is inside it.
    if (new Date(now - count * 100).toISOString().slice(0, 10) === today()) {
      expect(rows).toHaveLength(count);
      expect(pageQueries).toBe(2);
    }
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    const times = rows.map((r) => Date.parse(r.started_at as string));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  it('a page that ends exactly at the last record closes the file properly (CSV and JSON)', async () => {
    const b = await seedBusiness({ licensed: true });
    await bulkRecords(b.business.id, b.user.id, 6, 1000);
    const scope = { businessId: b.business.id, from: Date.now() - 3_600_000, to: Date.now() + 1000 };
    const csv = await drain(exportStream(env.DB, scope, 'csv', { pageRows: 3 }));
    expect(csv.error).toBeUndefined();
    expect(csv.text.split('\r\n')).toHaveLength(8);
    const json = await drain(exportStream(env.DB, scope, 'json', { pageRows: 3 }));
    expect(JSON.parse(json.text)).toHaveLength(6);
  });

  it('D1 failing part-way errors the stream: never a clean end with a shorter file', async () => {
    const b = await seedBusiness({ licensed: true });
    await bulkRecords(b.business.id, b.user.id, 7, 1000);
    const scope = { businessId: b.business.id, from: Date.now() - 3_600_000, to: Date.now() + 1000 };
    const onError = vi.fn();
    failPagesFrom(3);
    for (const format of ['csv', 'json'] as const) {
      const { text, error } = await drain(exportStream(env.DB, scope, format, { pageRows: 3, onError }));
      expect(String(error)).toContain('too many queries');
      if (format === 'csv')
        expect(text.split('\r\n')).toHaveLength(8); // the header and two pages, then the failure
      else expect(text.trimEnd().endsWith(']')).toBe(false);
    }
    expect(onError).toHaveBeenCalledTimes(2);
  });

  it('through the route: the download fails visibly (the response body errors) and the failure is logged', async () => {
    const b = await seedBusiness({ licensed: true });
    const admin = await signedIn(b.admin.email, b.admin.password);
    const now = Date.now();
    await bulkRecords(b.business.id, b.user.id, EXPORT_PAGE_ROWS + 10, 100, now);
    const logged = vi.spyOn(console, 'error');
    failPagesFrom(2);
    const res = await admin.get(`/api/admin/calls/export.csv?from=${today()}&to=${today()}`);
    // The headers went out before the failure: what tells the client is the body.
    expect(res.status).toBe(200);
    const { text, error } = await drain(res.body as ReadableStream<Uint8Array>);
    expect(error).toBeDefined();
    expect(text.startsWith(EXPORT_COLUMNS.join(','))).toBe(true);
    expect(logged.mock.calls.some(([line]) => String(line).includes('call export failed part-way'))).toBe(true);
  });
});
