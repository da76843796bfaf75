import type { AdminUser, LicenceSummary } from '../../../shared/admin-api';
import { FEATURES, type Feature } from '../../../shared/admin-limits';
import { api } from '../api/client';
import { LoadProblem, OutcomeNote } from './LoadProblem';
import { useAction } from './use-action';
import { useLoad } from './use-load';

/** Each feature as the admin reads it. */
export const FEATURE_LABELS: Record<Feature, string> = {
  calling: 'Calling',
  sms: 'Text messages',
  voicemail: 'Voicemail',
  recording: 'Call recording',
};

/** Seats bought and in use, and each user's seat with the features it has; changes reach the user's app at once. */
export function LicencesSection() {
  const summary = useLoad<LicenceSummary>('/api/admin/licences');
  const users = useLoad<{ users: AdminUser[] }>('/api/admin/users');
  const action = useAction();
  const free = summary.state.kind === 'ready' ? summary.state.data.seats - summary.state.data.used : 0;
  const recordingPurchased = summary.state.kind === 'ready' && summary.state.data.recordingPurchased;

  const licencePath = (u: AdminUser) => `/api/admin/users/${encodeURIComponent(u.id)}/licence`;
  const give = (u: AdminUser) => action.run(`give:${u.id}`, () => api.post(licencePath(u), {}), `${u.name} has a seat.`);
  const take = (u: AdminUser) =>
    action.run(`take:${u.id}`, () => api.del(licencePath(u)), `${u.name}'s seat is free again; they have no features now.`);
  const toggle = (u: AdminUser, feature: Feature, on: boolean) =>
    action.run(
      `feature:${u.id}`,
      () => api.patch(licencePath(u), { [feature]: on }),
      `${FEATURE_LABELS[feature]} is ${on ? 'on' : 'off'} for ${u.name}.`,
    );

  return (
    <section class="settings-section" aria-labelledby="admin-licences">
      <h2 id="admin-licences">Licences</h2>
      {summary.state.kind === 'failed' && <LoadProblem what="Licences" problem={summary.state.problem} retry={summary.retry} />}
      {users.state.kind === 'failed' && <LoadProblem what="Users" problem={users.state.problem} retry={users.retry} />}
      {summary.state.kind === 'ready' && (
        <p class="admin-seats">
          <strong>
            {summary.state.data.used} of {summary.state.data.seats} seats in use
          </strong>
          {free === 0 && <span class="muted"> · none free: free a seat or contact us to buy more</span>}
        </p>
      )}
      <OutcomeNote outcome={action.outcome} />
      {summary.state.kind === 'ready' && users.state.kind === 'ready' && (
        <ul class="admin-list">
          {users.state.data.users.map((u) => (
            <li key={u.id} class="admin-row">
              {u.licence ? (
                <fieldset class="admin-licence" disabled={action.busy !== null}>
                  <legend>{u.name}</legend>
                  <div class="admin-checks">
                    {FEATURES.map((feature) => {
                      const locked = feature === 'recording' && !recordingPurchased && !u.licence?.recording;
                      return (
                        <label key={feature} class={locked ? 'admin-check muted' : 'admin-check'}>
                          <input
                            type="checkbox"
                            checked={u.licence?.[feature] ?? false}
                            disabled={locked}
                            onChange={(e) => void toggle(u, feature, e.currentTarget.checked)}
                          />
                          {FEATURE_LABELS[feature]}
                          {locked && <span class="visually-hidden"> (not bought)</span>}
                        </label>
                      );
                    })}
                  </div>
                  <button type="button" class="secondary" onClick={() => void take(u)} aria-label={`Take back ${u.name}'s seat`}>
                    Take back seat
                  </button>
                </fieldset>
              ) : (
                <>
                  <div class="admin-row-text">
                    <strong>{u.name}</strong>
                    <span class="muted admin-row-detail">No seat: no calling, texts or voicemail</span>
                  </div>
                  <button
                    type="button"
                    class="secondary"
                    disabled={action.busy !== null || free <= 0}
                    aria-label={`Give ${u.name} a seat`}
                    onClick={() => void give(u)}
                  >
                    Give a seat
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {summary.state.kind === 'ready' && !recordingPurchased && (
        <p class="muted">Call recording is not part of your plan, so no seat can have it.</p>
      )}
    </section>
  );
}
