import { useEffect } from 'preact/hooks';
import { CallLink } from '../dialer/CallLink';
import { liveStatus, snapshotAt } from '../live/store';
import { colleagueList, colleaguesFailed, hasUnknownColleague, loadColleagues } from './colleagues';
import { DndSwitch } from './DndSwitch';
import { PRESENCE_LABELS } from './labels';

/**
 * Beside the dialpad: the user's own do-not-disturb switch, and their
 * colleagues with their live state, one tap from calling each.
 */
export function ColleaguesPanel() {
  const welcomedAt = snapshotAt.value;
  const unknown = hasUnknownColleague.value;
  // Names come from the API: fetched with each fresh snapshot (someone may have joined or been renamed).
  useEffect(() => {
    if (welcomedAt !== null) void loadColleagues();
  }, [welcomedAt]);
  useEffect(() => {
    if (unknown) void loadColleagues();
  }, [unknown]);

  const list = colleagueList.value;
  const status = liveStatus.value;
  return (
    <section class="colleagues" aria-labelledby="colleagues-title">
      <DndSwitch />
      <h2 id="colleagues-title">Colleagues</h2>
      {status !== 'open' && list && (
        <p class="muted colleagues-stale" role="status">
          {/* Too old for the server: the app-wide update banner says why and offers the reload. */}
          {status === 'reload'
            ? 'Not live until Softphone is updated: states may be out of date.'
            : 'Reconnecting… states may be out of date.'}
        </p>
      )}
      {list === undefined ? (
        <p class="muted" role="status">
          {colleaguesFailed.value ? 'Colleagues could not be loaded.' : 'Loading colleagues…'}
        </p>
      ) : list.length === 0 ? (
        <p class="muted">Nobody else is in your business yet.</p>
      ) : (
        <ul class="colleague-list">
          {list.map((c) => (
            <li key={c.userId} class="colleague" data-state={c.state}>
              <span class={`presence-dot presence-${c.state}`} aria-hidden="true" />
              <span class="colleague-text">
                <span class="colleague-name">
                  {c.name}
                  {c.extension && <span class="colleague-extension muted"> · Ext. {c.extension}</span>}
                </span>
                <span class="colleague-state">
                  {PRESENCE_LABELS[c.state]}
                  {/* On a call (or offline) with the switch on: say both, their next call goes to voicemail. */}
                  {c.dnd && c.state !== 'dnd' && ' · Do not disturb'}
                </span>
              </span>
              {/* Their extension, as a person would dial it; without one, their user id (the edge takes both). */}
              <CallLink class="colleague-call" target={c.extension ?? c.userId} label={`Call ${c.name}`}>
                Call
              </CallLink>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
