/**
 * The device's copy of the user's recent calls in IndexedDB (its own
 * database, `softphone-history`), so history opens offline. A cache of what
 * the server said: replaced on each refresh, wiped on sign-out. Never a
 * token or a session.
 */
import { type DBSchema, deleteDB, type IDBPDatabase, openDB } from 'idb';
import type { HistoryCall } from '../../../shared/calls-api';

/** Bookkeeping, by key. */
export interface HistoryMeta {
  /** Whose calls these are: `businessId:userId`. Another user's are never shown. */
  owner: string;
  /** When the server last answered (ms since the epoch). */
  savedAt: number;
}

export interface HistorySchema extends DBSchema {
  calls: { key: string; value: HistoryCall; indexes: { 'by-start': number } };
  meta: { key: keyof HistoryMeta; value: HistoryMeta[keyof HistoryMeta] };
}

export const HISTORY_DB_NAME = 'softphone-history';
export const HISTORY_DB_VERSION = 1;
/** How many of the newest calls the device keeps. */
export const CACHED_CALLS = 200;

let opening: Promise<IDBPDatabase<HistorySchema>> | undefined;

/** The database, opened once per page; upgrades are gated by the version the device had. */
export function historyDb(): Promise<IDBPDatabase<HistorySchema>> {
  opening ??= openDB<HistorySchema>(HISTORY_DB_NAME, HISTORY_DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const calls = db.createObjectStore('calls', { keyPath: 'id' });
        calls.createIndex('by-start', 'startedAt');
        db.createObjectStore('meta');
      }
    },
    blocking() {
      // A newer version of the app wants to upgrade: step aside so it can.
      void opening?.then((db) => db.close());
      opening = undefined;
    },
  }).catch((e: unknown) => {
    opening = undefined;
    throw e;
  });
  return opening;
}

/** The cached calls of `owner`, newest first; empty when the cache belongs to someone else (or to nobody). */
export async function readCachedHistory(owner: string): Promise<{ calls: HistoryCall[]; savedAt: number | null }> {
  const db = await historyDb();
  const tx = db.transaction(['calls', 'meta']);
  const [cachedOwner, savedAt, calls] = await Promise.all([
    tx.objectStore('meta').get('owner'),
    tx.objectStore('meta').get('savedAt'),
    tx.objectStore('calls').index('by-start').getAll(),
  ]);
  if (cachedOwner !== owner) return { calls: [], savedAt: null };
  return { calls: calls.reverse(), savedAt: typeof savedAt === 'number' ? savedAt : null };
}

/** Replaces the cache with the server's newest calls (at most CACHED_CALLS). */
export async function saveHistory(owner: string, calls: HistoryCall[], savedAt = Date.now()): Promise<void> {
  const db = await historyDb();
  const tx = db.transaction(['calls', 'meta'], 'readwrite');
  const store = tx.objectStore('calls');
  await store.clear();
  await Promise.all([
    ...calls.slice(0, CACHED_CALLS).map((call) => store.put(call)),
    tx.objectStore('meta').put(owner, 'owner'),
    tx.objectStore('meta').put(savedAt, 'savedAt'),
  ]);
  await tx.done;
}

/** Forgets every cached call (sign-out: call history is personal data and a computer may be shared). */
export async function wipeHistory(): Promise<void> {
  const db = await opening?.catch(() => undefined);
  db?.close();
  opening = undefined;
  await deleteDB(HISTORY_DB_NAME);
}
