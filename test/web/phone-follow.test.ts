import { signal } from '@preact/signals';
import { afterEach, expect, it, vi } from 'vitest';
import type { Features } from '../../shared/admin-limits';
import { myFeatures } from '../../web/src/admin/my-features';
import { me } from '../../web/src/auth/session';
import type { PhoneCall } from '../../web/src/calling/call';
import { registration } from '../../web/src/calling/line';
import { followSession } from '../../web/src/calling/PhoneMount';
import { calls } from '../../web/src/calling/phone';
import { aMe } from './support/fake-api';
import { fakeLine } from './support/fake-line';

const ALL_ON: Features = { calling: true, sms: true, voicemail: true, recording: false };

afterEach(() => {
  vi.restoreAllMocks();
});

it('a licence change during a call never cuts it off: the line stops, or starts again, once the call is over', async () => {
  const { start, stop } = fakeLine();
  me.value = aMe();
  followSession();
  myFeatures.value = ALL_ON;
  await vi.waitFor(() => expect(registration.value).toBe('ready'));
  expect(start).toHaveBeenCalledTimes(1);

  const hangup = vi.fn(async () => {});
  calls.value = [{ hangup, state: signal('active') } as unknown as PhoneCall];
  // Calling goes off mid-call: the line stays up for it; the edge then refuses the line's next REGISTER.
  myFeatures.value = { ...ALL_ON, calling: false };
  registration.value = 'error';
  // And comes back on (or any other licence change arrives) while the call goes on: still nothing is restarted.
  myFeatures.value = { ...ALL_ON };
  await new Promise((r) => setTimeout(r, 20));
  expect(hangup).not.toHaveBeenCalled();
  expect(stop).not.toHaveBeenCalled();

  // The call ends: the refused line starts again.
  calls.value = [];
  await vi.waitFor(() => expect(start).toHaveBeenCalledTimes(2));
  expect(stop).toHaveBeenCalledTimes(1);
  expect(hangup).not.toHaveBeenCalled();
  expect(registration.value).toBe('ready');
});
