import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { OPEN_CALLS_CRON } from '../../worker/calls/jobs';
import worker from '../../worker/index';
import { runMaintenance } from '../../worker/maintenance/cron';

describe('daily maintenance', () => {
  it('runs every job even when one fails, and reports each', async () => {
    const log = vi.fn();
    const results = await runMaintenance(
      env,
      Date.now(),
      [
        { name: 'first', run: async () => 3 },
        {
          name: 'broken',
          run: async () => {
            throw new Error('nope');
          },
        },
        { name: 'last', run: async () => 1 },
      ],
      log,
    );
    expect(results).toEqual({ first: 3, broken: -1, last: 1 });
    expect(log).toHaveBeenCalledWith('error', 'maintenance job failed', expect.objectContaining({ job: 'broken' }));
  });

  it('every 15 minutes, closes calls left open and nothing else; the daily run does everything', async () => {
    const spy = vi.spyOn(console, 'log');
    const resultsOf = async (cron: string) => {
      spy.mockClear();
      const ctx = createExecutionContext();
      worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron }), env, ctx);
      await waitOnExecutionContext(ctx);
      const line = spy.mock.calls.map(([l]) => String(l)).find((l) => l.includes('maintenance done'));
      return Object.keys(JSON.parse(line ?? '{}').results ?? {});
    };
    expect(await resultsOf(OPEN_CALLS_CRON)).toEqual(['calls_open']);
    const daily = await resultsOf('17 3 * * *');
    expect(daily).toContain('calls_open');
    expect(daily).toContain('call_events_old');
    spy.mockRestore();
  });

  it('is wired to the scheduled handler', async () => {
    const spy = vi.spyOn(console, 'log');
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '17 3 * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(spy.mock.calls.some(([line]) => String(line).includes('maintenance done'))).toBe(true);
    spy.mockRestore();
  });
});
