import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
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

  it('is wired to the scheduled handler', async () => {
    const spy = vi.spyOn(console, 'log');
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '17 3 * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(spy.mock.calls.some(([line]) => String(line).includes('maintenance done'))).toBe(true);
    spy.mockRestore();
  });
});
