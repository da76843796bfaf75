/**
 * The device's copy of the user's recent calls in IndexedDB (its own
 * database, `softphone-history`), so history opens offline. A cache of what
 * the server said: replaced on each refresh, wiped on sign-out. Never a
 * token or a session.
 */
import type { DBSchema, IDBPDatabase } from 'idb';
import type { HistoryCall } from '../../../shared/calls-api';
import { databaseOnce } from '../storage/database-once';
import { type OwnedList, type OwnedListMetaStore, readOwnedList, saveOwnedList } from '../storage/owned-list';

export interface HistorySchema extends DBSchema {
  calls: { key: string; value: HistoryCall; indexes: { 'by-start': number } };
  /** Whose calls these are (another user's are never shown) and when the server last answered. */
  meta: OwnedListMetaStore;
}

export const HISTORY_DB_NAME = 'softphone-history';
export const HISTORY_DB_VERSION = 1;
/** How many of the newest calls the device keeps. */
export const CACHED_CALLS = 200;

const database = databaseOnce<HistorySchema>(HISTORY_DB_NAME, HISTORY_DB_VERSION, (db, oldVersion) => {
  if (oldVersion < 1) {
    const calls = db.createObjectStore('calls', { keyPath: 'id' });
    calls.createIndex('by-start', 'startedAt');
    db.createObjectStore('meta');
  }
});

/** The database, opened once per page. */
export function historyDb(): Promise<IDBPDatabase<HistorySchema>> {
  return database.open();
}

const cachedCalls: OwnedList = { open: historyDb, store: 'calls', index: 'by-start', limit: CACHED_CALLS };

/** The cached calls of `owner`, newest first; empty when the cache belongs to someone else (or to nobody). */
export async function readCachedHistory(owner: string): Promise<{ calls: HistoryCall[]; savedAt: number | null }> {
  const { items, savedAt } = await readOwnedList<HistoryCall>(cachedCalls, owner);
  return { calls: items, savedAt };
}

/** Replaces the cache with the server's newest calls (at most CACHED_CALLS). */
export function saveHistory(owner: string, calls: HistoryCall[], savedAt = Date.now()): Promise<void> {
  return saveOwnedList(cachedCalls, owner, calls, savedAt);
}

/** Forgets every cached call (sign-out: call history is personal data and a computer may be shared). */
export function wipeHistory(): Promise<void> {
  return database.remove();
}
