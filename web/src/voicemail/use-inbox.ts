/**
 * The inbox's data: the cached list at once (offline too), then the
 * server's, which replaces the cache; refreshed on `new_voicemail` and when
 * the app comes back online. Playing marks a message heard; deleting removes
 * it, here, in the cache and on the server. Nothing is asked of the server
 * while the seat has no voicemail.
 */
import { useCallback, useRef, useState } from 'preact/hooks';
import type { VoicemailMessage } from '../../../shared/voicemail-api';
import { loadMyFeatures, myFeatures } from '../admin/my-features';
import { ApiError, toProblem } from '../api/client';
import { me } from '../auth/session';
import { ownerKey } from '../auth/user-change';
import { lookupContactsByNumber } from '../contacts/caller-identity';
import { useLiveRefresh } from '../live/use-live-refresh';
import { setUnheard } from './unheard';
import { readCachedInbox, saveInbox, updateCachedMessage } from './voicemail-db';
import { voicemailAllowed } from './voicemail-feature';
import { deleteMessage, getInbox, markHeard } from './voicemail-http';

/** Where the list stands; `off` when the seat has no voicemail. */
export type InboxStatus = 'loading' | 'ready' | 'offline' | 'error' | 'off';

export interface InboxState {
  messages: VoicemailMessage[];
  status: InboxStatus;
  /** When the shown list came from the device's cache: when the server last answered. */
  cachedAt: number | null;
  problem: string | null;
  /** Contact names from the device's copy of the contacts, by E.164 number. */
  names: ReadonlyMap<string, string>;
  refresh(): void;
  /** Playback started: marks the message heard (once). */
  played(message: VoicemailMessage): void;
  /** Deletes a message; resolves with the problem to show, or null when it is gone. */
  remove(message: VoicemailMessage): Promise<string | null>;
}

const unheardIn = (messages: VoicemailMessage[]) => messages.filter((m) => !m.heard).length;

/** Loads the signed-in user's voicemail inbox. */
export function useInbox(): InboxState {
  const owner = me.value ? ownerKey(me.value) : null;
  // Re-run when the licence changes live (turned back on: load; turned off: the screen explains).
  const licensed = myFeatures.value?.voicemail;
  const [messages, setMessages] = useState<VoicemailMessage[]>([]);
  const [status, setStatus] = useState<InboxStatus>('loading');
  const [cachedAt, setCachedAt] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  // Answers for an older request or user are dropped.
  const generation = useRef(0);
  const shown = useRef<VoicemailMessage[]>([]);
  shown.current = messages;

  const show = useCallback((list: VoicemailMessage[]) => {
    setMessages(list);
    // Names from the device's contacts: no request, works offline.
    const numbers = [...new Set(list.flatMap((m) => (m.fromNumber ? [m.fromNumber] : [])))];
    void lookupContactsByNumber(numbers).then((found) => {
      const known = [...found].flatMap(([n, c]) => (c.name ? [[n, c.name] as const] : []));
      if (known.length > 0) setNames(new Map(known));
    });
  }, []);

  const refresh = useCallback(async () => {
    if (!owner) return;
    const mine = ++generation.current;
    if (!(await voicemailAllowed())) {
      if (mine === generation.current) setStatus('off');
      return;
    }
    try {
      const cached = await readCachedInbox(owner).catch(() => ({ messages: [] as VoicemailMessage[], savedAt: null }));
      if (mine !== generation.current) return;
      if (cached.messages.length > 0 && shown.current.length === 0) {
        show(cached.messages);
        setCachedAt(cached.savedAt);
      }
      const inbox = await getInbox();
      if (mine !== generation.current) return;
      show(inbox.messages);
      setCachedAt(null);
      setStatus('ready');
      setProblem(null);
      setUnheard(inbox.unheard);
      void saveInbox(owner, inbox.messages).catch(() => {});
    } catch (e) {
      if (mine !== generation.current) return;
      if (e instanceof ApiError && e.code === 'feature_not_licensed') {
        // The seat changed since the features were read: read them again, and explain.
        setStatus('off');
        void loadMyFeatures();
        return;
      }
      const p = toProblem(e);
      setStatus(p.status === 0 ? 'offline' : 'error');
      setProblem(p.detail ?? p.title);
    }
  }, [owner, show]);

  // A message left while the screen is open shows at once.
  useLiveRefresh(refresh, 'new_voicemail', generation, () => setStatus('loading'), licensed);

  const change = useCallback((id: string, update: (m: VoicemailMessage) => VoicemailMessage | null) => {
    const next = shown.current.flatMap((m) => {
      if (m.id !== id) return [m];
      const updated = update(m);
      return updated ? [updated] : [];
    });
    shown.current = next;
    setMessages(next);
    setUnheard(unheardIn(next));
  }, []);

  const played = useCallback(
    (message: VoicemailMessage) => {
      if (message.heard || !owner) return;
      change(message.id, (m) => ({ ...m, heard: true }));
      void updateCachedMessage(owner, message.id, { heard: true }).catch(() => {});
      markHeard(message.id, true).catch(() => {
        // Not recorded on the server (offline, or gone): show it as the server has it.
        change(message.id, (m) => ({ ...m, heard: false }));
        void updateCachedMessage(owner, message.id, { heard: false }).catch(() => {});
      });
    },
    [owner, change],
  );

  const remove = useCallback(
    async (message: VoicemailMessage) => {
      if (!owner) return null;
      try {
        await deleteMessage(message.id);
      } catch (e) {
        // Already gone (another device deleted it): that is what the user wanted.
        if (!(e instanceof ApiError && e.status === 404)) {
          const p = toProblem(e);
          return p.detail ?? p.title;
        }
      }
      change(message.id, () => null);
      void updateCachedMessage(owner, message.id, 'deleted').catch(() => {});
      return null;
    },
    [owner, change],
  );

  return {
    messages,
    status,
    cachedAt,
    problem,
    names,
    refresh: () => void refresh(),
    played,
    remove,
  };
}
