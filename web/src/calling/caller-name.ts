import { useEffect, useState } from 'preact/hooks';
import { lookupContactByNumber } from '../contacts/caller-identity';
import { colleagueList } from '../presence/colleagues';

/**
 * Who is calling, in words: a colleague's name for a platform user id (or their extension), the
 * contact's name for a number in the person's contacts (from the on-device
 * replica, so it works at once and offline), else what their phone presents,
 * else the number.
 */
export function useCallerName(remote: string, presented: string | undefined): string {
  // A colleague called by the list's Call goes out to their extension when they have one.
  const colleague = colleagueList.value?.find((c) => c.userId === remote || c.extension === remote)?.name;
  const [contact, setContact] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    if (remote.startsWith('+')) void lookupContactByNumber(remote).then((found) => live && setContact(found?.name));
    return () => {
      live = false;
    };
  }, [remote]);
  return colleague ?? contact ?? presented ?? remote;
}
