import { vi } from 'vitest';
import type { Contact, ContactFieldsInput, ImportBatchRequest } from '../../../shared/contacts-api';
import { normaliseNumber } from '../../../shared/contacts-numbers';
import { json, noContent, problem } from './fake-api';

/** One request as the fake contacts server saw it (with the query and headers, which writes depend on). */
export interface ContactsRequest {
  method: string;
  path: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (req: ContactsRequest, params: Record<string, string>) => Response | Promise<Response>;

interface Row {
  contact: Contact;
  seq: number;
  deletedAt: number | null;
}

/**
 * An in-memory stand-in for the contacts API with the Worker's rules
 * (versions, 409 with the current contact, idempotent creates by id, a
 * cursor of change sequences), for web tests of sync and screens.
 */
export class FakeContactsServer {
  rows = new Map<string, Row>();
  seq = 0;
  /** When true every request fails as if the network were down. */
  offline = false;
  /** Import batch number → how many more times it fails with a 503. */
  failingBatches = new Map<number, number>();
  /** Which import created each contact (for rollbacks). */
  importOf = new Map<string, string>();
  country = 'GB';

  private build(id: string, fields: ContactFieldsInput, version: number, createdAt: number, source: Contact['source'] = 'app'): Contact {
    return {
      id,
      firstName: (fields.firstName ?? '').trim(),
      lastName: (fields.lastName ?? '').trim(),
      company: (fields.company ?? '').trim(),
      numbers: fields.numbers.map((n) => ({
        label: n.label ?? 'mobile',
        value: n.value.trim(),
        e164: normaliseNumber(n.value, this.country) ?? '',
      })),
      emails: (fields.emails ?? []).map((e) => ({ label: e.label ?? 'other', value: e.value.trim() })),
      source,
      favourite: fields.favourite ?? false,
      version,
      createdAt,
      updatedAt: Date.now(),
    };
  }

  /** Adds a contact as if another device had made it; returns it. */
  add(fields: ContactFieldsInput, id = `srv_${this.seq + 1}_${Math.random().toString(36).slice(2, 8)}`): Contact {
    const contact = this.build(id, fields, 1, Date.now());
    this.rows.set(id, { contact, seq: ++this.seq, deletedAt: null });
    return contact;
  }

  /** Changes a contact as if another device had. */
  change(id: string, patch: Partial<ContactFieldsInput>): Contact {
    const row = this.rows.get(id);
    if (!row) throw new Error(`no ${id}`);
    const contact = this.build(id, { ...row.contact, ...patch }, row.contact.version + 1, row.contact.createdAt, row.contact.source);
    this.rows.set(id, { contact, seq: ++this.seq, deletedAt: null });
    return contact;
  }

  /** Deletes a contact as if another device had. */
  remove(id: string): void {
    const row = this.rows.get(id);
    if (!row) throw new Error(`no ${id}`);
    this.rows.set(id, { contact: { ...row.contact, version: row.contact.version + 1 }, seq: ++this.seq, deletedAt: Date.now() });
  }

  live(): Contact[] {
    return [...this.rows.values()].filter((r) => r.deletedAt === null).map((r) => r.contact);
  }

  private conflict(row: Row) {
    return problem(409, 'version_conflict', {
      detail: 'Changed on another device.',
      ...({ current: row.deletedAt === null ? row.contact : null, currentVersion: row.contact.version } as object),
    });
  }

  /** Routes, `'METHOD /path/:param'` → handler. */
  routes(): Record<string, Handler> {
    const guard =
      <A extends unknown[]>(handler: (...args: A) => Response | Promise<Response>) =>
      (...args: A) =>
        this.offline ? Promise.reject(new TypeError('Failed to fetch')) : handler(...args);
    return {
      'GET /api/contacts/changes': guard((req: ContactsRequest) => {
        const url = req.url;
        const since = Number(url.searchParams.get('since') ?? 0);
        const limit = Number(url.searchParams.get('limit') ?? 500);
        if (since > this.seq) return json(200, { upserts: [], deletions: [], cursor: '0', more: true, reset: true });
        const after = [...this.rows.values()].filter((r) => r.seq > since).sort((a, b) => a.seq - b.seq);
        const page = after.slice(0, limit);
        const more = after.length > limit;
        return json(200, {
          upserts: page.filter((r) => r.deletedAt === null).map((r) => r.contact),
          deletions: page
            .filter((r) => r.deletedAt !== null)
            .map((r) => ({ id: r.contact.id, version: r.contact.version, deletedAt: r.deletedAt })),
          cursor: String(more ? (page.at(-1)?.seq ?? since) : Math.max(since, this.seq)),
          more,
          reset: false,
        });
      }),
      'POST /api/contacts': guard((req: ContactsRequest) => {
        const body = req.body as ContactFieldsInput & { id: string; source?: Contact['source'] };
        const existing = this.rows.get(body.id);
        if (existing) return existing.deletedAt === null ? json(200, existing.contact) : this.conflict(existing);
        const contact = this.build(body.id, body, 1, Date.now(), body.source);
        this.rows.set(body.id, { contact, seq: ++this.seq, deletedAt: null });
        return json(201, contact);
      }),
      'PUT /api/contacts/:id': guard((req: ContactsRequest, { id = '' }: Record<string, string>) => {
        const body = req.body as ContactFieldsInput & { baseVersion: number };
        const row = this.rows.get(id);
        if (!row) return problem(404, 'not_found');
        if (row.contact.version !== body.baseVersion) return this.conflict(row);
        const contact = this.build(id, body, row.contact.version + 1, row.contact.createdAt, row.contact.source);
        this.rows.set(id, { contact, seq: ++this.seq, deletedAt: null });
        return json(200, contact);
      }),
      'PUT /api/contacts/:id/favourite': guard((req: ContactsRequest, { id = '' }: Record<string, string>) => {
        const row = this.rows.get(id);
        if (!row || row.deletedAt !== null) return problem(404, 'not_found');
        const favourite = (req.body as { favourite: boolean }).favourite;
        if (row.contact.favourite === favourite) return json(200, row.contact);
        const contact = { ...row.contact, favourite, version: row.contact.version + 1 };
        this.rows.set(id, { contact, seq: ++this.seq, deletedAt: null });
        return json(200, contact);
      }),
      'DELETE /api/contacts/:id': guard((req: ContactsRequest, { id = '' }: Record<string, string>) => {
        const row = this.rows.get(id);
        if (!row) return problem(404, 'not_found');
        if (row.deletedAt !== null) return noContent();
        const base = Number(req.url.searchParams.get('baseVersion'));
        if (row.contact.version !== base) return this.conflict(row);
        this.remove(id);
        return noContent();
      }),
      'DELETE /api/contacts/import/:importId': guard((_req: ContactsRequest, { importId = '' }: Record<string, string>) => {
        const ids = [...this.importOf].filter(([, imp]) => imp === importId).map(([id]) => id);
        for (const id of ids) {
          this.remove(id);
          this.importOf.delete(id);
        }
        return json(200, { removed: ids.length, reverted: 0 });
      }),
      'POST /api/contacts/import': guard((req: ContactsRequest) => {
        const body = req.body as ImportBatchRequest;
        const failures = this.failingBatches.get(body.batch) ?? 0;
        if (failures > 0) {
          this.failingBatches.set(body.batch, failures - 1);
          return problem(503, 'unavailable', { detail: 'Softphone is busy; try again in a moment.' });
        }
        const seqBefore = this.seq;
        const contacts = body.contacts.map((c) => {
          const contact = this.build(`imp_${++this.seq}`, c, 1, Date.now(), body.source);
          this.rows.set(contact.id, { contact, seq: this.seq, deletedAt: null });
          this.importOf.set(contact.id, body.importId);
          return contact;
        });
        return json(200, {
          importId: body.importId,
          batch: body.batch,
          created: contacts.length,
          merged: 0,
          skipped: [],
          replayed: false,
          createdIds: contacts.map((c, i) => [i, c.id]),
          createdAt: contacts[0]?.createdAt ?? Date.now(),
          contacts: [],
          seqBefore,
          seqAfter: this.seq,
        });
      }),
    };
  }
}

/**
 * Stubs `fetch` with the fake contacts server plus any other routes (like
 * `fakeApi`, but handlers see the URL and headers). Unrouted requests get a 404 problem.
 */
export function contactsApi(server: FakeContactsServer, extra: Record<string, Handler> = {}) {
  const seen: ContactsRequest[] = [];
  const table = Object.entries({ ...extra, ...server.routes() })
    .map(([key, handler]) => {
      const [method, pattern = ''] = key.split(' ');
      const names: string[] = [];
      const source = pattern.replace(/:(\w+)/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      return { method, regex: new RegExp(`^${source}$`), names, handler, specific: !pattern.includes(':') };
    })
    // Fixed paths before patterns, so /changes is never taken for an id.
    .sort((a, b) => Number(b.specific) - Number(a.specific));
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), location.origin);
    const req: ContactsRequest = {
      method: init.method ?? 'GET',
      path: url.pathname,
      url,
      headers: { ...(init.headers as Record<string, string> | undefined) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    seen.push(req);
    for (const route of table) {
      const m = route.method === req.method ? route.regex.exec(url.pathname) : null;
      if (!m) continue;
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]));
      return route.handler(req, params);
    }
    return problem(404, 'not_found', { detail: `No such route: ${req.method} ${req.path}` });
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, seen, calls: (key: string) => seen.filter((r) => `${r.method} ${r.path}` === key) };
}
