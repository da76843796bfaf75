/**
 * How every feature's IndexedDB database (contacts, history, voicemail) is
 * kept: opened on first use and shared for the page, closed when a newer
 * version of the app in another tab wants to upgrade it, opened afresh after
 * a failure, and deleted on sign-out.
 */
import { type DBSchema, deleteDB, type IDBPDatabase, type OpenDBCallbacks, openDB } from 'idb';

/** One database, opened at most once per page. */
export interface DatabaseOnce<S extends DBSchema> {
  /** The database; upgrades are gated by the version the device had. */
  open(): Promise<IDBPDatabase<S>>;
  /** Closes and deletes the whole database. */
  remove(): Promise<void>;
}

/** The database `name` at `version`, created or upgraded by `upgrade`. */
export function databaseOnce<S extends DBSchema>(name: string, version: number, upgrade: OpenDBCallbacks<S>['upgrade']): DatabaseOnce<S> {
  let opening: Promise<IDBPDatabase<S>> | undefined;
  return {
    open() {
      opening ??= openDB<S>(name, version, {
        upgrade,
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
    },
    async remove() {
      const db = await opening?.catch(() => undefined);
      db?.close();
      opening = undefined;
      await deleteDB(name);
    },
  };
}
