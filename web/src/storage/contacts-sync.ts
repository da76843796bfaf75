/**
 * Keeps this device's contacts in step with the server: sends the outbox
 * (in order), then pulls changes after the cursor. It runs when the app
 * starts, when the browser comes back online, every 60 s while the app is
 * visible, and whenever `contactsChanged()` is called (the live channel
 * calls it when another device changed something).
 */
import { signal } from '@preact/signals';
import type { Contact, ContactChanges, VersionConflictProblem } from '../../../shared/contacts-api';
import { CHANGES_PAGE_MAX } from '../../../shared/contacts-limits';
import { ApiError, api } from '../api/client';
import { me } from '../auth/session';
import { onUserChange } from '../auth/user-change';
import { onLiveEvent } from '../live/store';
import type { OutboxEntry } from './contacts-db';
import { contactsRequest } from './contacts-http';
import { applyChanges, claimStore, currentCursor, dropMirror, resetContacts, wipeStore } from './contacts-store';
import { toLocal } from './local-contact';
import { confirmEntry, dropEntry, outboxEntries, saveEntry, setInFlight, shownFor } from './outbox';
import { rebase } from './rebase';

/** How often to pull while the app is visible. */
export const POLL_INTERVAL_MS = 60_000;

export interface SyncStatus {
  /** `offline`: the last attempt could not reach the server; edits wait in the outbox. */
  phase: 'idle' | 'syncing' | 'offline' | 'failed';
  lastSyncAt: number | null;
  /** Edits not yet sent. */
  pending: number;
  /** Edits the user must look at: conflicts and refusals. */
  problems: OutboxEntry[];
}

/** The state of sync, for the screens. */
export const syncStatus = signal<SyncStatus>({ phase: 'idle', lastSyncAt: null, pending: 0, problems: [] });

/** Re-reads the outbox into `syncStatus` (after an edit, a send or a resolution). */
export async function refreshOutboxStatus(): Promise<void> {
  const entries = await outboxEntries();
  syncStatus.value = {
    ...syncStatus.value,
    pending: entries.filter((e) => e.state === 'pending').length,
    problems: entries.filter((e) => e.state !== 'pending'),
  };
}

const country = () => me.value?.business.country ?? 'GB';

function send(entry: OutboxEntry): Promise<Contact | undefined> {
  const path = `/api/contacts/${encodeURIComponent(entry.contactId)}`;
  switch (entry.kind) {
    case 'create':
      return contactsRequest<Contact>(
        'POST',
        '/api/contacts',
        { ...entry.fields, id: entry.contactId, source: 'app' },
        { 'Idempotency-Key': entry.key },
      );
    case 'update':
      return contactsRequest<Contact>('PUT', path, { ...entry.fields, baseVersion: entry.baseVersion });
    case 'delete':
      return contactsRequest<undefined>('DELETE', `${path}?baseVersion=${entry.baseVersion ?? 1}`);
    case 'favourite':
      return contactsRequest<Contact>('PUT', `${path}/favourite`, { favourite: entry.favourite });
  }
}

/** Not the user's problem: try again later (offline, server trouble, signed out, slowed down). */
const transient = (e: unknown) =>
  !(e instanceof ApiError) || e.network || e.status >= 500 || e.status === 401 || e.status === 429 || e.status === 408;

/** The server refused an entry for good: re-apply it automatically if that is safe, else hand it to the user. */
async function refused(entry: OutboxEntry, error: ApiError): Promise<void> {
  const problem = error.problem as VersionConflictProblem;
  if (error.status === 409 && problem.code === 'version_conflict') {
    const current = problem.current ?? null;
    if (entry.kind === 'update' && current && entry.fields) {
      const merged = rebase(entry.base, entry.fields, current);
      if (merged) {
        const next: OutboxEntry = { ...entry, fields: merged, baseVersion: current.version, base: current };
        await saveEntry(next, { put: shownFor(next, country(), undefined) });
        return;
      }
    }
    const conflict: OutboxEntry = { ...entry, state: 'conflict', current, currentVersion: problem.currentVersion };
    // The server's copy wins on this device too; the edit waits in the entry.
    if (current) await saveEntry(conflict, { put: toLocal(current) });
    else await saveEntry(conflict, { remove: entry.kind !== 'delete' });
    return;
  }
  if (error.status === 404) {
    // Gone from the server: a deletion or a star has nothing left to do; an edit is a conflict with nothing.
    if (entry.kind === 'delete' || entry.kind === 'favourite') return dropEntry(entry, entry.kind === 'favourite' ? null : undefined);
    return saveEntry({ ...entry, state: 'conflict', current: null }, { remove: true });
  }
  await saveEntry({ ...entry, state: 'failed', problem: error.problem });
}

/**
 * Bumped when the signed-in user changes: a sync started for the previous
 * user stops before its next request or write.
 */
let generation = 0;

function stillCurrent(started: number): void {
  if (started !== generation) throw new Error('the signed-in user changed');
}

/** Sends pending entries in order; stops at the first that cannot be sent now. */
async function push(started: number): Promise<void> {
  for (;;) {
    stillCurrent(started);
    const entry = (await outboxEntries()).find((e) => e.state === 'pending');
    if (!entry) return;
    setInFlight(entry.seq);
    try {
      const contact = await send(entry);
      await confirmEntry(entry, contact);
    } catch (e) {
      if (transient(e)) {
        await saveEntry({ ...entry, attempts: entry.attempts + 1 });
        throw e;
      }
      await refused(entry, e as ApiError);
    } finally {
      setInFlight(undefined);
    }
  }
}

/** Pulls every change after the cursor, a page at a time; a reset starts again from nothing (once). */
async function pull(started: number): Promise<void> {
  let cursor = await currentCursor();
  let resets = 0;
  for (;;) {
    stillCurrent(started);
    const page = await api.get<ContactChanges>(`/api/contacts/changes?since=${cursor}&limit=${CHANGES_PAGE_MAX}`);
    if (page.reset) {
      if (++resets > 1) throw new Error('the server asked to start over twice');
      await resetContacts();
      cursor = '0';
      continue;
    }
    stillCurrent(started);
    await applyChanges(page);
    cursor = page.cursor;
    if (!page.more) return;
  }
}

let ready: Promise<void> | undefined;
let running: Promise<void> | undefined;
let queued = false;

async function cycle(): Promise<void> {
  const started = generation;
  syncStatus.value = { ...syncStatus.value, phase: 'syncing' };
  try {
    await push(started);
    await pull(started);
    syncStatus.value = { ...syncStatus.value, phase: 'idle', lastSyncAt: Date.now() };
  } catch (e) {
    syncStatus.value = { ...syncStatus.value, phase: transient(e) ? 'offline' : 'failed' };
  } finally {
    await refreshOutboxStatus().catch(() => {});
  }
}

/**
 * Sends and pulls now. Calls while a sync runs are folded into one more run
 * after it, so a burst of hints costs two syncs, not twenty.
 */
export function syncNow(): Promise<void> {
  if (!ready) return Promise.resolve();
  if (running || holds > 0) {
    queued = true;
    return running ?? Promise.resolve();
  }
  running = ready.then(cycle).finally(() => {
    running = undefined;
    if (queued) {
      queued = false;
      void syncNow();
    }
  });
  return running;
}

let holds = 0;

/**
 * Holds syncs back until the returned release is called (an import: its
 * own batches would otherwise be pulled back as they land); a sync asked
 * for meanwhile runs on release.
 */
export function holdSync(): () => void {
  holds++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds--;
    if (holds === 0 && queued) {
      queued = false;
      void syncNow();
    }
  };
}

/** Resolves when no sync is running or queued (tests; a "Sync now" button). */
export async function syncSettled(): Promise<void> {
  while (running) await running.catch(() => {});
}

/** Something changed on the server (another device, the live channel says so): pull now. */
export function contactsChanged(): void {
  void syncNow();
}

/** Resolves once the store belongs to the signed-in user (screens wait for it before reading). */
export function contactsReady(): Promise<void> {
  followSession();
  return ready ?? Promise.resolve();
}

let stopTriggers: (() => void) | undefined;

/** Syncs for `owner` from now on: claims the store, then syncs on start, online, visibility and a timer. */
function start(owner: string): void {
  const started = ++generation;
  // Whatever ran for the previous user finishes (or stops) before the store changes hands.
  ready = (running ?? Promise.resolve())
    .catch(() => {})
    .then(() => (started === generation ? claimStore(owner) : undefined))
    .catch(() => {});
  void ready.then(refreshOutboxStatus).catch(() => {});
  void syncNow();
  const online = () => void syncNow();
  let timer: ReturnType<typeof setInterval> | undefined;
  const schedule = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (document.visibilityState === 'visible') timer = setInterval(() => void syncNow(), POLL_INTERVAL_MS);
  };
  const visibility = () => {
    schedule();
    const last = syncStatus.value.lastSyncAt ?? 0;
    if (document.visibilityState === 'visible' && Date.now() - last >= POLL_INTERVAL_MS) void syncNow();
  };
  window.addEventListener('online', online);
  document.addEventListener('visibilitychange', visibility);
  // Another device changed something: the live channel says so.
  const unsubscribe = onLiveEvent(contactsChanged, 'contacts_changed');
  schedule();
  stopTriggers = () => {
    unsubscribe();
    window.removeEventListener('online', online);
    document.removeEventListener('visibilitychange', visibility);
    if (timer) clearInterval(timer);
    stopTriggers = undefined;
  };
}

const IDLE: SyncStatus = { phase: 'idle', lastSyncAt: null, pending: 0, problems: [] };
let following: (() => void) | undefined;

/**
 * Follows who is signed in: starts syncing for a user (wiping another
 * user's copy first), and on sign-out wipes this device's copy, unsent
 * edits included: contacts are personal data and a computer may be shared.
 */
export function followSession(): void {
  if (following || typeof indexedDB === 'undefined') return;
  following = onUserChange((next) => {
    stopTriggers?.();
    if (next) return start(next);
    generation++;
    ready = undefined;
    syncStatus.value = IDLE;
    void wipeStore()
      .then(dropMirror)
      .catch(() => {});
  });
}

function unfollow(): void {
  following?.();
  following = undefined;
  stopTriggers?.();
}

/** Stops following the session and syncing (tests, and before deleting the database). */
export async function stopContactsSync(): Promise<void> {
  unfollow();
  generation++;
  await running?.catch(() => {});
  // A screen that asked for contacts meanwhile started following again: that goes too,
  // or the next session would find a follower for the same user and no sync ready.
  unfollow();
  ready = undefined;
  running = undefined;
  queued = false;
  holds = 0;
  syncStatus.value = IDLE;
}
