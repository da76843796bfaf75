import { useState } from 'preact/hooks';
import type { AdminUser } from '../../../shared/admin-api';
import type { AdminCallRecord, AdminCallsPage, CallOutcome } from '../../../shared/calls-api';
import { formatDuration } from '../history/history-format';
import { formatWhen } from '../settings/format';
import { type DayRange, recordsPath } from './call-export';
import { LoadProblem } from './LoadProblem';
import { formatCents } from './money';
import { partiesOf } from './RecordingSection';
import { Select } from './Select';
import { useLoad } from './use-load';

/** A look at the range before downloading it, not a replacement for the export. */
const LATEST = 20;

const OUTCOME_WORDS: Record<CallOutcome, string> = {
  answered: 'Answered',
  missed: 'Missed',
  busy: 'Busy',
  declined: 'Declined',
  voicemail: 'Voicemail',
  failed: 'Failed',
  blocked: 'Blocked',
};

/** "Answered · 1:05", "Missed", "In progress". */
function outcomeOf(r: AdminCallRecord): string {
  if (r.outcome === null) return 'In progress';
  return r.outcome === 'answered' ? `Answered · ${formatDuration(r.durationSeconds)}` : OUTCOME_WORDS[r.outcome];
}

/** The newest calls of the range, everyone's or one user's (people who have left included: their calls stay). */
export function CallRecordList({ range }: { range: DayRange }) {
  const [userId, setUserId] = useState('');
  const users = useLoad<{ users: AdminUser[] }>('/api/admin/users?status=all');
  const { state, retry } = useLoad<AdminCallsPage>(recordsPath(range, userId, LATEST));
  const options = [
    { value: '', label: 'Everyone' },
    ...(users.state.kind === 'ready' ? users.state.data.users.map((u) => ({ value: u.id, label: u.name })) : []),
  ];

  return (
    <>
      <h3 id="admin-calls-latest">Latest calls</h3>
      <div class="admin-filters">
        <Select name="call-user" label="Whose calls" value={userId} onValue={setUserId} options={options} />
      </div>
      {users.state.kind === 'failed' && <LoadProblem what="The list of users" problem={users.state.problem} retry={users.retry} />}
      {state.kind === 'loading' && <p class="muted">Loading calls…</p>}
      {state.kind === 'failed' && <LoadProblem what="The calls" problem={state.problem} retry={retry} />}
      {state.kind === 'ready' && state.data.calls.length === 0 && <p class="muted">No calls in these days.</p>}
      {state.kind === 'ready' && state.data.calls.length > 0 && (
        <>
          <ul class="admin-list" aria-labelledby="admin-calls-latest">
            {state.data.calls.map((r) => (
              <li key={r.id} class="admin-row">
                <div class="admin-row-text">
                  <strong>{formatWhen(r.startedAt)}</strong>
                  <span>{partiesOf(r)}</span>
                  <span class="muted admin-row-detail">
                    {outcomeOf(r)}
                    {r.costCents > 0 && ` · cost ${formatCents(r.costCents)}`}
                  </span>
                </div>
              </li>
            ))}
          </ul>
          {state.data.next && <p class="muted">Only the latest {LATEST} are shown here; the download has them all.</p>}
        </>
      )}
    </>
  );
}
