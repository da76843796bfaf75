import { render, screen, within } from '@testing-library/preact';
import { h } from 'preact';
import { vi } from 'vitest';
import type {
  AdminNumber,
  AdminUser,
  AuditEntry,
  Features,
  LicenceSummary,
  PlanInfo,
  RecordingInfo,
  RecordingSettings,
} from '../../../shared/admin-api';
import { App } from '../../../web/src/app/App';
import type { SeenRequest } from './fake-api';
import { aMe, fakeApi, json, noContent, problem } from './fake-api';

type Handler = (req: SeenRequest, params: Record<string, string>) => Response | Promise<Response>;

const DEFAULT_SEAT: Features = { calling: true, sms: true, voicemail: true, recording: false };

/** A user as the admin list shows them; anything can be changed. */
export function anAdminUser(overrides: Partial<AdminUser> & { id: string; name: string }): AdminUser {
  return {
    email: `${overrides.id}@example.com`,
    mobile: null,
    role: 'user',
    status: 'active',
    createdAt: Date.UTC(2026, 0, 1),
    terminatedAt: null,
    number: null,
    override: null,
    extension: null,
    licence: null,
    you: false,
    ...overrides,
  };
}

/** The admin settings state a fake server holds and changes, as the Worker would (without its checks, unless noted). */
export interface AdminWorld {
  users: AdminUser[];
  numbers: { id: string; e164: string; kind: 'pool' | 'main' }[];
  seats: number;
  recording: RecordingSettings;
  recordings: RecordingInfo[];
  plan: { plan: 'licensed' | 'payg'; spendingLimitCents: number | null; spentCents: number };
  audit: AuditEntry[];
}

export function anAdminWorld(): AdminWorld {
  return {
    users: [
      anAdminUser({ id: 'u1', name: 'Ada Lovelace', role: 'admin', you: true, licence: { ...DEFAULT_SEAT } }),
      anAdminUser({
        id: 'u2',
        name: 'Charles Babbage',
        mobile: '+447700900456',
        number: { id: 'n2', e164: '+442079460101', kind: 'pool' },
        extension: '201',
      }),
      anAdminUser({ id: 'u3', name: 'Grace Hopper', status: 'suspended' }),
    ],
    numbers: [
      { id: 'n1', e164: '+442079460100', kind: 'main' },
      { id: 'n2', e164: '+442079460101', kind: 'pool' },
      { id: 'n3', e164: '+442079460102', kind: 'pool' },
    ],
    seats: 2,
    recording: { purchased: false, enabled: false },
    recordings: [],
    plan: { plan: 'licensed', spendingLimitCents: null, spentCents: 0 },
    audit: [],
  };
}

/**
 * `fakeApi` plus the query string of the request being answered (`fakeApi`
 * routes by path only; the admin list and audit routes read their query).
 */
export function fakeApiWithQuery(routes: (query: () => URLSearchParams) => Record<string, Handler>) {
  let query = new URLSearchParams();
  const api = fakeApi(routes(() => query));
  const inner = api.fetch;
  // fakeApi answers before its first await, so the query set here is the one being answered.
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    query = new URL(String(input), location.origin).searchParams;
    return inner(input, init);
  });
  return api;
}

/** The admin routes over a world, for {@link fakeApiWithQuery} (with `/api/me` and the rest). */
export function adminRoutes(world: AdminWorld, query: () => URLSearchParams): Record<string, Handler> {
  const user = (id: string) => world.users.find((u) => u.id === id);
  const withNumbers = () =>
    world.users.map((u) => {
      const held = world.numbers.find((n) => n.id === u.number?.id);
      return { ...u, number: held ?? null };
    });
  const numberList = (): AdminNumber[] =>
    world.numbers.map((n) => {
      const holder = world.users.find((u) => u.number?.id === n.id);
      return {
        ...n,
        assignedTo: holder ? { id: holder.id, name: holder.name } : null,
        overrideFor: world.users.filter((u) => u.override?.id === n.id).map((u) => ({ id: u.id, name: u.name })),
      };
    });
  const update = (id: string, change: Partial<AdminUser>) => {
    const i = world.users.findIndex((u) => u.id === id);
    world.users[i] = { ...(world.users[i] as AdminUser), ...change };
    return world.users[i] as AdminUser;
  };
  const used = () => world.users.filter((u) => u.licence).length;
  const planInfo = (): PlanInfo => ({
    ...world.plan,
    allowed: world.plan.spendingLimitCents === null || world.plan.spentCents < world.plan.spendingLimitCents,
    monthStartsAt: Date.UTC(2026, 10, 1),
  });

  return {
    'GET /api/admin/users': () => {
      const params = query();
      const q = (params.get('q') ?? '').toLowerCase();
      const status = params.get('status') ?? 'current';
      const users = withNumbers().filter(
        (u) =>
          (status === 'all' || (status === 'current' ? u.status !== 'terminated' : u.status === status)) &&
          (!q || u.name.toLowerCase().includes(q) || (u.email ?? '').includes(q) || (u.mobile ?? '').includes(q)),
      );
      return json(200, { users });
    },
    'PATCH /api/admin/users/:id': (req, { id = '' }) => json(200, update(id, { role: (req.body as { role: AdminUser['role'] }).role })),
    'POST /api/admin/users/:id/suspend': (_req, { id = '' }) => json(200, update(id, { status: 'suspended' })),
    'POST /api/admin/users/:id/reactivate': (_req, { id = '' }) => json(200, update(id, { status: 'active' })),
    'POST /api/admin/users/:id/terminate': (_req, { id = '' }) =>
      json(
        200,
        update(id, { status: 'terminated', terminatedAt: Date.now(), number: null, extension: null, licence: null, override: null }),
      ),
    'GET /api/admin/numbers': () => json(200, { numbers: numberList() }),
    'POST /api/admin/numbers/:id/assignment': (req, { id = '' }) => {
      const number = world.numbers.find((n) => n.id === id);
      const { userId } = req.body as { userId: string };
      if (!number || !user(userId)) return problem(404, 'not_found');
      update(userId, { number });
      return json(
        200,
        numberList().find((n) => n.id === id),
      );
    },
    'DELETE /api/admin/numbers/:id/assignment': (_req, { id = '' }) => {
      const holder = world.users.find((u) => u.number?.id === id);
      if (holder) update(holder.id, { number: null });
      return noContent();
    },
    'PATCH /api/admin/users/:id/override': (req, { id = '' }) => {
      const number = world.numbers.find((n) => n.id === (req.body as { numberId: string }).numberId);
      return number ? json(200, update(id, { override: number })) : problem(404, 'not_found');
    },
    'DELETE /api/admin/users/:id/override': (_req, { id = '' }) => {
      update(id, { override: null });
      return noContent();
    },
    'PATCH /api/admin/users/:id/extension': (req, { id = '' }) => {
      const { extension } = req.body as { extension: string };
      const owner = world.users.find((u) => u.extension === extension && u.id !== id);
      if (owner) {
        return problem(409, 'extension_taken', {
          detail: `Someone in your business already has extension ${extension}.`,
          errors: [{ field: 'extension', code: 'extension_taken', message: `Extension ${extension} is taken; choose another.` }],
        });
      }
      return json(200, update(id, { extension }));
    },
    'DELETE /api/admin/users/:id/extension': (_req, { id = '' }) => {
      update(id, { extension: null });
      return noContent();
    },
    'GET /api/admin/licences': () =>
      json(200, { seats: world.seats, used: used(), recordingPurchased: world.recording.purchased } satisfies LicenceSummary),
    'POST /api/admin/users/:id/licence': (req, { id = '' }) => {
      if (used() >= world.seats) return problem(409, 'no_free_seat', { detail: 'All seats are in use.' });
      return json(201, update(id, { licence: { ...DEFAULT_SEAT, ...(req.body as Partial<Features>) } }));
    },
    'PATCH /api/admin/users/:id/licence': (req, { id = '' }) =>
      json(200, update(id, { licence: { ...(user(id)?.licence as Features), ...(req.body as Partial<Features>) } })),
    'DELETE /api/admin/users/:id/licence': (_req, { id = '' }) => {
      update(id, { licence: null });
      return noContent();
    },
    'GET /api/admin/plan': () => json(200, planInfo()),
    'PATCH /api/admin/plan': (req) => {
      const body = req.body as { plan: 'licensed' | 'payg'; spendingLimitCents: number | null };
      if (body.plan === 'payg' && body.spendingLimitCents === null) {
        return problem(422, 'validation_failed', {
          errors: [{ field: 'spendingLimitCents', code: 'custom', message: 'Pay as you go needs a spending limit.' }],
        });
      }
      world.plan = { ...world.plan, ...body };
      return json(200, planInfo());
    },
    'GET /api/admin/recording': () => json(200, world.recording),
    'PATCH /api/admin/recording': (req) => {
      world.recording = { ...world.recording, enabled: (req.body as { enabled: boolean }).enabled };
      return json(200, world.recording);
    },
    'GET /api/admin/recordings': () => json(200, { recordings: world.recordings }),
    'GET /api/admin/audit': () => {
      const params = query();
      const limit = Number(params.get('limit') ?? 50);
      const start = params.get('cursor') ? Number(params.get('cursor')) : 0;
      const entries = world.audit.slice(start, start + limit);
      return json(200, { entries, nextCursor: start + limit < world.audit.length ? String(start + limit) : null });
    },
  };
}

/** Opens `/admin` as an admin over `world`; `routes` add to or replace the fake server's. */
export async function openAdminPage(world: AdminWorld = anAdminWorld(), routes: Record<string, Handler> = {}) {
  const api = fakeApiWithQuery((query) => ({
    'GET /api/me': () => json(200, aMe({ role: 'admin' })),
    'GET /api/admin/alerts': () => json(200, { alerts: [] }),
    'GET /api/admin/invitations': () => json(200, { invitations: [] }),
    ...adminRoutes(world, query),
    ...routes,
  }));
  history.replaceState(null, '', '/admin');
  render(h(App, null));
  await screen.findByRole('heading', { level: 1, name: 'Business settings' });
  return api;
}

/** The section with this heading, to query inside. */
export function section(name: string) {
  return within(screen.getByRole('region', { name }));
}
