/**
 * A cached list that belongs to one signed-in user (recent calls, the
 * voicemail inbox): a store of items keyed by `id` and indexed by time, and
 * a `meta` store saying whose list it is and when the server last gave it.
 * A cache of what the server said, replaced whole on each refresh; another
 * user's list is never read back.
 */
import type { IDBPDatabase } from 'idb';

/** Bookkeeping, by key. */
export interface OwnedListMeta {
  /** Whose list this is: `businessId:userId`. */
  owner: string;
  /** When the server last answered (ms since the epoch). */
  savedAt: number;
}

/** The `meta` store every owned list keeps beside its items, in its schema. */
export interface OwnedListMetaStore {
  key: keyof OwnedListMeta;
  value: OwnedListMeta[keyof OwnedListMeta];
}

/** Where one feature keeps its list: its database, the items' store and that store's time index. */
export interface OwnedList {
  /** The feature's typed database (its schema names the store; read here untyped). */
  open(): Promise<unknown>;
  store: string;
  index: string;
  /** How many items are kept at the most (the newest, as given). */
  limit?: number;
}

// idb's schema types cannot be generic over a store's name: the feature's module keeps the typed view.
async function untyped(list: OwnedList): Promise<IDBPDatabase> {
  return (await list.open()) as IDBPDatabase;
}

/** The cached list of `owner`, newest first; empty when the cache belongs to someone else (or to nobody). */
export async function readOwnedList<V>(list: OwnedList, owner: string): Promise<{ items: V[]; savedAt: number | null }> {
  const db = await untyped(list);
  const tx = db.transaction([list.store, 'meta']);
  const [cachedOwner, savedAt, items] = await Promise.all([
    tx.objectStore('meta').get('owner'),
    tx.objectStore('meta').get('savedAt'),
    tx.objectStore(list.store).index(list.index).getAll(),
  ]);
  if (cachedOwner !== owner) return { items: [], savedAt: null };
  return { items: (items as V[]).reverse(), savedAt: typeof savedAt === 'number' ? savedAt : null };
}

/** Replaces the cache with the server's list (at most `limit` of it). */
export async function saveOwnedList<V>(list: OwnedList, owner: string, items: V[], savedAt = Date.now()): Promise<void> {
  const db = await untyped(list);
  const tx = db.transaction([list.store, 'meta'], 'readwrite');
  const store = tx.objectStore(list.store);
  await store.clear();
  await Promise.all([
    ...(list.limit === undefined ? items : items.slice(0, list.limit)).map((item) => store.put(item)),
    tx.objectStore('meta').put(owner, 'owner'),
    tx.objectStore('meta').put(savedAt, 'savedAt'),
  ]);
  await tx.done;
}
