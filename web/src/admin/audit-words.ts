import type { AuditEntry } from '../../../shared/admin-api';
import { FEATURES, type Feature } from '../../../shared/admin-limits';

const FEATURE_WORDS: Record<Feature, string> = { calling: 'calling', sms: 'texts', voicemail: 'voicemail', recording: 'recording' };

type Licence = Record<Feature, boolean> | null;

function money(cents: unknown): string {
  return typeof cents === 'number' ? (cents / 100).toFixed(2) : 'no limit';
}

function licenceChange(before: Licence, after: Licence): string {
  if (!before) return 'gave a seat to';
  if (!after) return 'took back the seat of';
  const turned = FEATURES.filter((f) => before[f] !== after[f]).map((f) => `${FEATURE_WORDS[f]} ${after[f] ? 'on' : 'off'}`);
  return `turned ${turned.join(', ') || 'nothing'} for`;
}

/** An entry as a sentence about what the admin did, e.g. "changed the extension of Sam from 201 to 202". */
export function describeEntry(entry: AuditEntry): string {
  const who = entry.target.label ?? 'a former user';
  const { before: b, after: a } = entry;
  switch (entry.action) {
    case 'user.role':
      return a.role === 'admin' ? `made ${who} an admin` : `removed ${who}'s admin role`;
    case 'user.suspend':
      return `suspended ${who}`;
    case 'user.reactivate':
      return `reactivated ${who}`;
    case 'user.terminate':
      return `terminated ${who}`;
    case 'number.assign':
      return `assigned ${String(a.e164)} to ${who}${b.e164 ? ` (was ${String(b.e164)})` : ''}`;
    case 'number.unassign':
      return `unassigned ${String(b.e164)} from ${who}`;
    case 'user.override':
      return a.e164 ? `set ${who}'s calls to go out on ${String(a.e164)}` : `cleared ${who}'s number override`;
    case 'user.extension':
      if (a.extension === null) return `cleared ${who}'s extension ${String(b.extension)}`;
      return b.extension === null
        ? `gave ${who} extension ${String(a.extension)}`
        : `changed ${who}'s extension from ${String(b.extension)} to ${String(a.extension)}`;
    case 'user.licence':
      return `${licenceChange(b.licence as Licence, a.licence as Licence)} ${who}`;
    case 'business.plan':
      return `changed the plan to ${a.plan === 'payg' ? 'pay as you go' : 'licensed'}, spending limit ${money(a.spendingLimitCents)} (was ${b.plan === 'payg' ? 'pay as you go' : 'licensed'}, ${money(b.spendingLimitCents)})`;
    case 'business.recording':
      return a.recordingEnabled ? 'switched call recording on' : 'switched call recording off';
    case 'recording.delete':
      return `deleted the recording of call ${String(b.callId)}`;
    // The label is whom the invitation is for (name, else address), read from the invitation.
    case 'invitation.send':
      return `invited ${entry.target.label ?? 'someone'} as ${a.role === 'admin' ? 'an admin' : 'a user'}`;
    case 'invitation.revoke':
      return `revoked the ${b.status === 'expired' ? 'expired ' : ''}invitation for ${entry.target.label ?? 'someone'}`;
  }
}
