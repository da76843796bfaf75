import type { HistoryCall } from '../../../shared/calls-api';
import { CallLink } from '../dialer/CallLink';
import { outcomeLabel, partyDetail, partyName, timeOfDay } from './history-format';

/** One call in the history list: who, what happened, when, and a one-tap call back. */
export function CallEntry({ call }: { call: HistoryCall }) {
  const name = partyName(call);
  const detail = partyDetail(call);
  const arrow = call.direction === 'incoming' ? '↙' : '↗';
  return (
    <li class={call.missed ? 'history-row history-missed' : 'history-row'} data-call-id={call.id} data-outcome={call.outcome ?? 'open'}>
      <span class="history-icon" aria-hidden="true">
        {call.missed ? '✕' : arrow}
      </span>
      <div class="history-text">
        <span class="history-name">{name}</span>
        <span class="history-outcome">{outcomeLabel(call)}</span>
        {detail && <span class="history-detail muted">{detail}</span>}
      </div>
      <time class="history-time muted" dateTime={new Date(call.startedAt).toISOString()}>
        {timeOfDay(call.startedAt)}
      </time>
      {call.callBack && (
        <CallLink class="call-link" target={call.callBack} label={`Call ${name} back`}>
          ☎
        </CallLink>
      )}
    </li>
  );
}
