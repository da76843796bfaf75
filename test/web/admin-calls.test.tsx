import { fireEvent, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminCallRecord } from '../../shared/calls-api';
import { lastMonth } from '../../web/src/admin/call-export';
import { formatWhen } from '../../web/src/settings/format';
import { anAdminWorld, openAdminPage, section } from './support/fake-admin';
import { json } from './support/fake-api';

const T = Date.UTC(2026, 1, 20, 9, 30);

function aRecord(overrides: Partial<AdminCallRecord> & { id: string }): AdminCallRecord {
  return {
    sipCallId: `${overrides.id}@edge`,
    kind: 'outbound',
    startedAt: T,
    answeredAt: T + 5000,
    endedAt: T + 70_000,
    durationSeconds: 65,
    outcome: 'answered',
    endedBy: 'caller',
    finalCode: 200,
    remoteNumber: '+441614960004',
    ourNumber: '+442079460101',
    caller: { userId: 'u2', name: 'Charles Babbage' },
    answeredBy: null,
    answeredDevice: null,
    plan: 'payg',
    billableSeconds: 120,
    ratePrefix: '44',
    rateMillicentsPerMinute: 1000,
    costCents: 2,
    ...overrides,
  };
}

const records = () => section('Call records');
const downloadLink = () => records().getByRole('link', { name: /^Download/ });

/** The admin page over a fake server whose call list answers with `calls`, of the user asked for if one is. */
async function openWithCalls(calls: AdminCallRecord[]) {
  // The fake routes by path only; the stubbed fetch keeps every URL, query included.
  const urls = () => api.fetch.mock.calls.map(([input]) => String(input));
  const api = await openAdminPage(anAdminWorld(), {
    'GET /api/admin/calls': () => {
      const userId = new URL(urls().at(-1) ?? '', location.origin).searchParams.get('userId');
      const theirs = calls.filter((c) => !userId || c.caller?.userId === userId || c.answeredBy?.userId === userId);
      return json(200, { calls: theirs, next: null });
    },
  });
  return { listed: () => urls().filter((u) => u.startsWith('/api/admin/calls?')) };
}

describe('admin page: call records', () => {
  beforeEach(() => {
    // Only the clock: the page's timers and the library's waits run as usual.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 2, 15, 10));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('offers last month as CSV to start with, as a plain link to the export, and asks the API nothing', async () => {
    const api = await openAdminPage();
    const link = downloadLink();
    expect(link.getAttribute('href')).toBe('/api/admin/calls/export.csv?from=2026-02-01&to=2026-02-28');
    expect(link.hasAttribute('download')).toBe(true);
    expect(link.textContent).toBe('Download CSV');
    expect(api.calls('GET /api/admin/calls')).toEqual([]);
  });

  it('links the range and the format chosen', async () => {
    await openAdminPage();
    fireEvent.input(records().getByLabelText('From'), { target: { value: '2025-12-20' } });
    fireEvent.input(records().getByLabelText('To'), { target: { value: '2026-01-10' } });
    fireEvent.change(records().getByLabelText('Format'), { target: { value: 'json' } });
    expect(downloadLink().getAttribute('href')).toBe('/api/admin/calls/export.json?from=2025-12-20&to=2026-01-10');
    expect(downloadLink().textContent).toBe('Download JSON');
  });

  it('offers no link for a range the API would refuse, and says why by the field', async () => {
    await openAdminPage();
    const to = records().getByLabelText('To');
    fireEvent.input(to, { target: { value: '2026-01-31' } });
    expect(records().queryByRole('link', { name: /^Download/ })).toBeNull();
    expect(to.getAttribute('aria-invalid')).toBe('true');
    expect(records().getByText('The range ends before it starts.')).toBeTruthy();
    fireEvent.input(to, { target: { value: '2026-02-01' } });
    expect(downloadLink().getAttribute('href')).toBe('/api/admin/calls/export.csv?from=2026-02-01&to=2026-02-01');
  });

  it('shows the latest calls of the range on request, of everyone or of one user', async () => {
    const { listed } = await openWithCalls([
      aRecord({
        id: 'call_b',
        startedAt: T + 3_600_000,
        kind: 'inbound',
        remoteNumber: '+441614960000',
        caller: null,
        answeredBy: { userId: 'u1', name: 'Ada Lovelace' },
        costCents: 0,
      }),
      aRecord({ id: 'call_a', outcome: 'missed', answeredAt: null, durationSeconds: 0, billableSeconds: 0, costCents: 0 }),
      aRecord({ id: 'call_c', startedAt: T - 3_600_000 }),
    ]);
    fireEvent.click(records().getByRole('button', { name: 'Show the latest calls' }));
    const list = await records().findByRole('list', { name: 'Latest calls' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      `${formatWhen(T + 3_600_000)}+441614960000 → Ada LovelaceAnswered · 1:05`,
      `${formatWhen(T)}Charles Babbage → +441614960004Missed`,
      `${formatWhen(T - 3_600_000)}Charles Babbage → +441614960004Answered · 1:05 · cost 0.02`,
    ]);
    expect(listed()).toEqual(['/api/admin/calls?from=2026-02-01&to=2026-02-28&limit=20']);

    // The users who have left are choices too: their calls stay in the records.
    const whose = records().getByLabelText('Whose calls') as HTMLSelectElement;
    await waitFor(() => expect([...whose.options].map((o) => o.textContent)).toContain('Grace Hopper'));
    fireEvent.change(whose, { target: { value: 'u1' } });
    await waitFor(() => expect(within(records().getByRole('list', { name: 'Latest calls' })).getAllByRole('listitem')).toHaveLength(1));
    expect(listed().at(-1)).toBe('/api/admin/calls?from=2026-02-01&to=2026-02-28&limit=20&userId=u1');
  });
});

describe('last month', () => {
  it('is the calendar month before, in UTC, across a year and in a leap year', () => {
    expect(lastMonth(Date.UTC(2026, 2, 15, 10))).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(lastMonth(Date.UTC(2028, 2, 1, 0, 0))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(lastMonth(Date.UTC(2027, 0, 31, 23, 59))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});
