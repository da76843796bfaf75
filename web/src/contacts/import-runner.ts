/**
 * Sends a prepared import in batches of 2,000 and stores each batch's result
 * on the device as it arrives. Each batch is applied whole or not at all on
 * the server and is replayed (not repeated) if sent twice, so a failed
 * import can be resumed from the batch that failed, or undone.
 */
import type {
  Contact,
  ImportBatchRequest,
  ImportBatchResult,
  ImportMode,
  ImportRollbackResult,
  ImportSkip,
} from '../../../shared/contacts-api';
import type { PreparedContact } from '../../../shared/contacts-import/prepare';
import { IMPORT_BATCH_MAX } from '../../../shared/contacts-limits';
import { ApiError } from '../api/client';
import { contactsRequest, JsonText } from '../storage/contacts-http';
import { type StoredChunk, storeServerContacts } from '../storage/contacts-store';
import { holdSync, syncNow } from '../storage/contacts-sync';

export interface ImportProgress {
  importId: string;
  /** Batches the server has applied (by number): a resumed import sends only the others. */
  done: number[];
  batches: number;
  sent: number;
  total: number;
  created: number;
  merged: number;
  /** Contacts the server left out (no readable number, or a duplicate in mode skip), with where they came from. */
  skipped: Array<ImportSkip & { origin: string }>;
}

/** An import stopped by a failure: `progress` says how far it got; resume or roll back. */
export class ImportStopped extends Error {
  constructor(
    readonly progress: ImportProgress,
    override readonly cause: ApiError,
  ) {
    super(cause.message);
  }
}

/**
 * Senders at once, each keeping one batch in flight. Each batch is its own
 * transaction on the server and the file's duplicates were settled before
 * sending, so any number works. Two keep the server busy while an answer
 * travels back and the next batch is on its way: against a local workerd,
 * 50,000 contacts uploaded in 3.4 s instead of 3.75 s with one. More only
 * queue up on its one thread; a Worker far from its D1 would gain from three.
 */
const PARALLEL = 2;

const transient = (e: ApiError) => e.network || e.status >= 500 || e.status === 429;

async function sendBatch(body: JsonText): Promise<ImportBatchResult> {
  // A batch lost on the way is safe to send again: the server replays it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await contactsRequest<ImportBatchResult>('POST', '/api/contacts/import', body);
    } catch (e) {
      if (!(e instanceof ApiError) || !transient(e) || attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

/** A fresh import's starting point. */
export function newImport(contacts: readonly PreparedContact[]): ImportProgress {
  return {
    importId: crypto.randomUUID(),
    done: [],
    batches: Math.ceil(contacts.length / IMPORT_BATCH_MAX),
    sent: 0,
    total: contacts.length,
    created: 0,
    merged: 0,
    skipped: [],
  };
}

/** The contacts a batch created exactly as sent, as the server stored them (it returned only their ids). */
function builtContacts(slice: readonly PreparedContact[], result: ImportBatchResult, source: 'file' | 'device'): Contact[] {
  return result.createdIds.flatMap(([index, id]) => {
    const c = slice[index];
    if (!c) return [];
    return [
      {
        id,
        firstName: c.firstName,
        lastName: c.lastName,
        company: c.company,
        numbers: c.numbers.map((n, i) => ({ label: n.label, value: n.value, e164: c.e164s[i] ?? '' })),
        emails: c.emails,
        source,
        favourite: c.favourite ?? false,
        version: 1,
        createdAt: result.createdAt,
        updatedAt: result.createdAt,
      },
    ];
  });
}

const asFields = ({ firstName, lastName, company, numbers, emails, favourite }: PreparedContact) => ({
  firstName,
  lastName,
  company,
  numbers,
  emails,
  favourite: favourite ?? false,
});

/**
 * Runs (or resumes) an import: the batches not yet done, a few at a time.
 * Each batch's contacts are stored on the device as it comes back, in the
 * order they come back; the first failure stops the import (batches already
 * in flight finish) and is thrown as `ImportStopped`.
 */
export async function runImport(
  contacts: readonly PreparedContact[],
  options: { mode: ImportMode; source: 'file' | 'device'; progress: ImportProgress; onProgress: (p: ImportProgress) => void },
): Promise<ImportProgress> {
  let progress = { ...options.progress, done: [...options.progress.done] };
  const todo = Array.from({ length: progress.batches }, (_, i) => i).filter((b) => !progress.done.includes(b));
  const ranges = new Map<number, number>();
  let failure: ApiError | undefined;

  // Results are stored as they come back, several batches per transaction when
  // they come faster than IndexedDB takes them.
  const waiting: Array<{ contacts: Contact[]; chunk: StoredChunk; range?: [number, number] }> = [];
  let writing: Promise<void> | undefined;
  const write = async () => {
    while (waiting.length > 0) {
      const items = waiting.splice(0);
      // A range joins the map only as its contacts are stored (the cursor moves in the same transaction).
      for (const { range } of items) if (range) ranges.set(range[0], range[1]);
      // Not stored here (storage full, say): the next pull brings them instead.
      await storeServerContacts(
        items.flatMap((i) => i.contacts),
        ranges,
        items.map((i) => i.chunk),
      ).catch(() => {});
    }
  };
  const store = (item: (typeof waiting)[number]) => {
    waiting.push(item);
    writing ??= write().finally(() => {
      writing = undefined;
    });
  };

  const serialise = (batch: number) =>
    new JsonText(
      JSON.stringify({
        importId: progress.importId,
        batch,
        mode: options.mode,
        source: options.source,
        contacts: contacts.slice(batch * IMPORT_BATCH_MAX, (batch + 1) * IMPORT_BATCH_MAX).map(asFields),
      } satisfies ImportBatchRequest),
    );

  /** What to do with a batch's answer: store its contacts, count, report progress. */
  const settle = (batch: number, result: ImportBatchResult) => {
    const slice = contacts.slice(batch * IMPORT_BATCH_MAX, (batch + 1) * IMPORT_BATCH_MAX);
    store({
      // What the server sent in full may include existing contacts it merged into: one record each.
      contacts: result.contacts,
      // The contacts it created as sent: in bulk, one record for the batch.
      chunk: { key: `${progress.importId}:${batch}`, contacts: builtContacts(slice, result, options.source) },
      ...(result.seqBefore !== null && result.seqAfter !== null ? { range: [result.seqBefore, result.seqAfter] as [number, number] } : {}),
    });
    progress = {
      ...progress,
      done: [...progress.done, batch],
      sent: progress.sent + slice.length,
      created: progress.created + result.created,
      merged: progress.merged + result.merged,
      skipped: [
        ...progress.skipped,
        ...result.skipped.map((s) => ({ ...s, origin: slice[s.index]?.origin ?? `contact ${batch * IMPORT_BATCH_MAX + s.index + 1}` })),
      ],
    };
    options.onProgress(progress);
  };

  // Each sender keeps one batch in flight: the next one is serialised while the
  // current travels, and an answer is settled after the next batch has left.
  const worker = async () => {
    let batch = todo.shift();
    let body = batch === undefined ? undefined : serialise(batch);
    let answered: { batch: number; result: ImportBatchResult } | undefined;
    while (batch !== undefined && body !== undefined && !failure) {
      const sending = sendBatch(body);
      if (answered) settle(answered.batch, answered.result);
      const current = batch;
      batch = todo.shift();
      body = batch === undefined ? undefined : serialise(batch);
      try {
        answered = { batch: current, result: await sending };
      } catch (e) {
        answered = undefined;
        failure ??= e instanceof ApiError ? e : new ApiError({ type: 'about:blank', code: 'client_error', title: String(e), status: 0 });
      }
    }
    if (answered) settle(answered.batch, answered.result);
  };
  // This device stores each batch itself: a pull meanwhile would fetch them again.
  const release = holdSync();
  try {
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    while (writing) await writing;
  } finally {
    release();
  }
  if (failure) throw new ImportStopped(progress, failure);
  // A replayed batch brought no contacts back: a pull fetches whatever the device lacks.
  void syncNow();
  return progress;
}

/** Undoes an import on the server, then pulls the deletions to this device. */
export async function rollbackImport(importId: string): Promise<ImportRollbackResult> {
  const result = await contactsRequest<ImportRollbackResult>('DELETE', `/api/contacts/import/${encodeURIComponent(importId)}`);
  await syncNow();
  return result;
}
