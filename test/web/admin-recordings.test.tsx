import { fireEvent, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { RecordingInfo } from '../../shared/admin-api';
import { partiesOf } from '../../web/src/admin/RecordingSection';
import { formatWhen } from '../../web/src/settings/format';
import { anAdminWorld, openAdminPage, section } from './support/fake-admin';
import { noContent, problem } from './support/fake-api';

const T = Date.UTC(2026, 10, 3, 14, 5);

function aRecording(overrides: Partial<RecordingInfo> & { id: string }): RecordingInfo {
  return {
    callId: `call_${overrides.id}`,
    durationMs: 61_000,
    bytes: 240_000,
    createdAt: T + 70_000,
    kind: 'outbound',
    startedAt: T,
    remoteNumber: '+441614960004',
    ourNumber: '+442079460101',
    caller: { userId: 'u2', name: 'Charles Babbage' },
    answeredBy: null,
    ...overrides,
  };
}

function recordingWorld() {
  const world = anAdminWorld();
  world.recording = { purchased: true, enabled: true };
  world.recordings = [
    aRecording({
      id: 'rec_b',
      startedAt: T + 3_600_000,
      kind: 'inbound',
      remoteNumber: '+441614960000',
      caller: null,
      answeredBy: { userId: 'u1', name: 'Ada Lovelace' },
      durationMs: 5000,
    }),
    aRecording({ id: 'rec_a' }),
  ];
  const routes = {
    'DELETE /api/admin/recordings/:id': (_req: unknown, { id = '' }: Record<string, string>) => {
      const before = world.recordings.length;
      world.recordings = world.recordings.filter((r) => r.id !== id);
      return world.recordings.length < before ? noContent() : problem(404, 'not_found');
    },
  };
  return { world, routes };
}

const rows = () => within(section('Call recording').getByRole('list', { name: 'Recordings' })).getAllByRole('listitem');

describe('admin page: recordings', () => {
  it('lists each recording with its time, parties and length, and a player that loads nothing until played', async () => {
    const { world, routes } = recordingWorld();
    await openAdminPage(world, routes);
    const list = await section('Call recording').findByRole('list', { name: 'Recordings' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    // Each row is named by its time, for screen readers moving between list items.
    expect(within(list).getByRole('listitem', { name: formatWhen(T) })).toBe(items[1]);
    expect(items[0]?.textContent).toContain('+441614960000 → Ada Lovelace');
    expect(items[0]?.textContent).toContain('0:05');
    expect(items[1]?.textContent).toContain('Charles Babbage → +441614960004');
    expect(items[1]?.textContent).toContain('1:01');

    const audio = items[1]?.querySelector('audio') as HTMLAudioElement;
    expect(audio.getAttribute('controls')).not.toBeNull();
    expect(audio.getAttribute('preload')).toBe('none');
    expect(audio.getAttribute('src')).toBe('/api/admin/recordings/rec_a/audio');
    expect(audio.getAttribute('aria-label')).toBe(`Recording of the call of ${formatWhen(T)}, Charles Babbage → +441614960004`);
  });

  it('words the parties of each kind of call, also when someone has left', () => {
    expect(partiesOf(aRecording({ id: 'x', kind: 'internal', answeredBy: { userId: 'u1', name: 'Ada Lovelace' } }))).toBe(
      'Charles Babbage → Ada Lovelace',
    );
    expect(partiesOf(aRecording({ id: 'x', caller: null }))).toBe('A former user → +441614960004');
    expect(partiesOf(aRecording({ id: 'x', kind: 'inbound', remoteNumber: null, answeredBy: null }))).toBe(
      'A withheld number → +442079460101',
    );
    expect(partiesOf(aRecording({ id: 'x', kind: null, startedAt: null, caller: null }))).toBe('Call details no longer kept');
  });

  it('deletes only after a confirm step; Escape backs out and gives the focus back to Delete', async () => {
    const { world, routes } = recordingWorld();
    const api = await openAdminPage(world, routes);
    const recordings = section('Call recording');
    const name = `Delete the recording of the call of ${formatWhen(T)}, Charles Babbage → +441614960004`;

    fireEvent.click(await recordings.findByRole('button', { name }));
    const confirm = recordings.getByRole('group', {
      name: `Delete the recording of the call of ${formatWhen(T)}, Charles Babbage → +441614960004?`,
    });
    await waitFor(() => expect(document.activeElement).toBe(confirm));
    expect(confirm.textContent).toContain('deleted for good');
    fireEvent.keyDown(confirm, { key: 'Escape' });
    await waitFor(() => expect(document.activeElement).toBe(recordings.getByRole('button', { name })));
    expect(api.calls('DELETE /api/admin/recordings/rec_a')).toHaveLength(0);

    fireEvent.click(recordings.getByRole('button', { name }));
    fireEvent.click(recordings.getByRole('button', { name: 'Yes, delete the recording' }));
    expect(await recordings.findByText('The recording was deleted.')).toBeTruthy();
    expect(api.calls('DELETE /api/admin/recordings/rec_a')).toHaveLength(1);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]?.textContent).toContain('+441614960000 → Ada Lovelace');
  });

  it('says so when the recording could not be deleted, and keeps it listed', async () => {
    const { world } = recordingWorld();
    await openAdminPage(world, {
      'DELETE /api/admin/recordings/:id': () => problem(404, 'not_found', { detail: 'No such recording.' }),
    });
    const recordings = section('Call recording');
    fireEvent.click(await recordings.findByRole('button', { name: /^Delete the recording of the call of .*Charles Babbage/ }));
    fireEvent.click(recordings.getByRole('button', { name: 'Yes, delete the recording' }));
    expect((await recordings.findByRole('alert')).textContent).toContain('No such recording.');
    expect(rows()).toHaveLength(2);
  });
});
