import type { Contact, VersionConflictProblem } from '../../shared/contacts-api';
import { CONTACTS_PER_USER_MAX } from '../../shared/contacts-limits';
import { Problem } from '../platform/problem';

/**
 * 409 `version_conflict`: the change was based on an older version. The
 * server's copy wins and travels in the problem, so the device can show it
 * next to the user's edit (which it keeps) without another request.
 */
export class VersionConflict extends Problem {
  constructor(
    readonly current: Contact | null,
    readonly currentVersion: number,
  ) {
    super(
      409,
      'version_conflict',
      'Changed on another device',
      current
        ? 'This contact was changed on another device since you opened it. Your edit was not saved: apply it again on top, or discard it.'
        : 'This contact was deleted on another device. Your edit was not saved: save it again to keep the contact, or discard it.',
    );
  }

  override body(): Omit<VersionConflictProblem, 'requestId'> {
    return { ...super.body(), code: 'version_conflict', current: this.current, currentVersion: this.currentVersion };
  }
}

/** 409 `contact_limit_reached`: a user keeps at most 50,000 contacts. */
export function contactLimit(have: number, adding: number): Problem {
  const room = Math.max(0, CONTACTS_PER_USER_MAX - have);
  return new Problem(
    409,
    'contact_limit_reached',
    'Too many contacts',
    `You can keep at most ${CONTACTS_PER_USER_MAX.toLocaleString('en-GB')} contacts. You have ${have.toLocaleString('en-GB')}, so ${
      room === 0
        ? 'delete some before adding more'
        : `there is room for ${room.toLocaleString('en-GB')} more, not ${adding.toLocaleString('en-GB')}`
    }.`,
  );
}

/** 428: a change to an existing contact must say which version it was based on. */
export function versionRequired(): Problem {
  return new Problem(
    428,
    'version_required',
    'Say which version you changed',
    'Send the version your change is based on: an If-Match header ("3") or baseVersion in the body (or query, for a deletion).',
  );
}

/** The version in `If-Match` (`"3"`, `W/"3"` or `3`); undefined when absent; a problem when unreadable. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match?.[1]) throw new Problem(400, 'bad_if_match', 'If-Match is not a version', 'Send If-Match as the contact\'s ETag, e.g. "3".');
  return Number(match[1]);
}

/** The ETag of a contact version. */
export function etag(version: number): string {
  return `"${version}"`;
}
