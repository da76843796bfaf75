import type { LiveEvent, PresenceEntry } from '../../shared/live-protocol';
import { type EdgeCallState, strongestCall } from './presence-model';

/** How many events the hub keeps for replay, and for how long. */
const EVENT_KEEP_COUNT = 1000;
const EVENT_KEEP_MS = 24 * 60 * 60 * 1000;

/** One stored event and its place in the business's sequence. */
export interface StoredEvent {
  seq: number;
  event: LiveEvent;
}

/** What the media edge last said about a user's devices. */
export interface EdgeSummary {
  registered: boolean;
  call: Exclude<EdgeCallState, 'idle'> | null;
}

/**
 * The hub's own SQLite storage (per business, inside the Durable Object):
 * recent events for replay, the media edge's registrations and calls, and
 * what clients were last told about each user. Sockets are not stored here:
 * they are the runtime's (`getWebSockets()`), with identity in attachments.
 */
export class HubStore {
  constructor(private readonly sql: SqlStorage) {
    // Idempotent, so it runs on every start; the object has no other migration step.
    sql.exec(`
      CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        user_id TEXT,
        at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS edge_devices (
        user_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        registered_until INTEGER,
        call_state TEXT CHECK (call_state IN ('ringing', 'on_call')),
        call_until INTEGER,
        PRIMARY KEY (user_id, device_id)
      );
      CREATE TABLE IF NOT EXISTS presence_sent (
        user_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        dnd INTEGER NOT NULL,
        dnd_changed_at INTEGER
      );
    `);
  }

  // ─── Events ────────────────────────────────────────────────────────────────

  /** Stores an event; undefined when one with its id is already stored (a retried publish). */
  insertEvent(event: LiveEvent, userId: string | null): number | undefined {
    const row = this.sql
      .exec<{ seq: number }>(
        'INSERT INTO events (id, user_id, at, body) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING seq',
        event.id,
        userId,
        Date.now(),
        JSON.stringify(event),
      )
      .toArray()[0];
    if (!row) return undefined;
    // Old events are only for devices that were briefly away; the apps reload lists on start anyway.
    this.sql.exec('DELETE FROM events WHERE seq <= ? OR at < ?', row.seq - EVENT_KEEP_COUNT, Date.now() - EVENT_KEEP_MS);
    return row.seq;
  }

  /** The sequence number of an event already stored under this id. */
  seqOf(eventId: string): number | undefined {
    return this.sql.exec<{ seq: number }>('SELECT seq FROM events WHERE id = ?', eventId).toArray()[0]?.seq;
  }

  /** Events after a cursor that one user may see (theirs and the business's), oldest first. */
  eventsAfter(seq: number, userId: string, limit = 200): StoredEvent[] {
    return this.sql
      .exec<{ seq: number; body: string }>(
        'SELECT seq, body FROM events WHERE seq > ? AND (user_id IS NULL OR user_id = ?) ORDER BY seq LIMIT ?',
        seq,
        userId,
        limit,
      )
      .toArray()
      .map((r) => ({ seq: r.seq, event: JSON.parse(r.body) as LiveEvent }));
  }

  /** The newest sequence number ever given (AUTOINCREMENT never reuses one, even after pruning). */
  lastSeq(): number {
    const row = this.sql.exec<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'").toArray()[0];
    return row?.seq ?? 0;
  }

  // ─── The media edge ────────────────────────────────────────────────────────

  /** Records a device's SIP registration (until a time) or its end (null). */
  setRegistration(userId: string, deviceId: string, until: number | null): void {
    this.sql.exec(
      `INSERT INTO edge_devices (user_id, device_id, registered_until) VALUES (?, ?, ?)
       ON CONFLICT (user_id, device_id) DO UPDATE SET registered_until = excluded.registered_until`,
      userId,
      deviceId,
      until,
    );
    this.dropEmpty();
  }

  /** Records a device's call state; `idle` clears it. `until` bounds a state nobody ends (a lost event). */
  setCall(userId: string, deviceId: string, state: EdgeCallState, until: number): void {
    const call = state === 'idle' ? null : state;
    this.sql.exec(
      `INSERT INTO edge_devices (user_id, device_id, call_state, call_until) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id, device_id) DO UPDATE SET call_state = excluded.call_state, call_until = excluded.call_until`,
      userId,
      deviceId,
      call,
      call ? until : null,
    );
    this.dropEmpty();
  }

  /** A user's devices at the edge, summed up; anything past its time counts as gone. */
  edgeFor(userId: string, now: number): EdgeSummary {
    const rows = this.sql
      .exec<{ registered_until: number | null; call_state: EdgeCallState | null; call_until: number | null }>(
        'SELECT registered_until, call_state, call_until FROM edge_devices WHERE user_id = ?',
        userId,
      )
      .toArray();
    return summarise(rows, now);
  }

  /** Every user's devices at the edge, summed up, in one read (for snapshots). */
  edgeAll(now: number): Map<string, EdgeSummary> {
    const byUser = new Map<
      string,
      Array<{ registered_until: number | null; call_state: EdgeCallState | null; call_until: number | null }>
    >();
    for (const row of this.sql
      .exec<{ user_id: string; registered_until: number | null; call_state: EdgeCallState | null; call_until: number | null }>(
        'SELECT user_id, registered_until, call_state, call_until FROM edge_devices',
      )
      .toArray()) {
      const rows = byUser.get(row.user_id) ?? [];
      rows.push(row);
      byUser.set(row.user_id, rows);
    }
    return new Map([...byUser].map(([userId, rows]) => [userId, summarise(rows, now)]));
  }

  /** Users the edge has anything on. */
  edgeUsers(): string[] {
    return this.sql
      .exec<{ user_id: string }>('SELECT DISTINCT user_id FROM edge_devices')
      .toArray()
      .map((r) => r.user_id);
  }

  /** Forgets registrations and calls past their time; returns the users they belonged to. */
  expireEdge(now: number): string[] {
    const users = this.sql
      .exec<{ user_id: string }>('SELECT DISTINCT user_id FROM edge_devices WHERE registered_until <= ?1 OR call_until <= ?1', now)
      .toArray()
      .map((r) => r.user_id);
    if (users.length === 0) return users;
    this.sql.exec('UPDATE edge_devices SET registered_until = NULL WHERE registered_until <= ?', now);
    this.sql.exec('UPDATE edge_devices SET call_state = NULL, call_until = NULL WHERE call_until <= ?', now);
    this.dropEmpty();
    return users;
  }

  /** When the next registration or call runs out, if any. */
  nextEdgeExpiry(): number | null {
    const row = this.sql
      .exec<{ t: number | null }>(
        'SELECT MIN(t) AS t FROM (SELECT registered_until AS t FROM edge_devices UNION ALL SELECT call_until FROM edge_devices)',
      )
      .toArray()[0];
    return row?.t ?? null;
  }

  private dropEmpty(): void {
    this.sql.exec('DELETE FROM edge_devices WHERE registered_until IS NULL AND call_state IS NULL');
  }

  // ─── What clients were told ───────────────────────────────────────────────

  /** What clients were last told about a user (undefined: offline, do-not-disturb off). */
  sent(userId: string): PresenceEntry | undefined {
    const row = this.sql
      .exec<{ state: PresenceEntry['state']; dnd: number; dnd_changed_at: number | null }>(
        'SELECT state, dnd, dnd_changed_at FROM presence_sent WHERE user_id = ?',
        userId,
      )
      .toArray()[0];
    return row ? { userId, state: row.state, dnd: row.dnd === 1, dndChangedAt: row.dnd_changed_at } : undefined;
  }

  /** Remembers what clients were told; a plain offline user is not kept. */
  recordSent(entry: PresenceEntry, isDefault: boolean): void {
    if (isDefault) {
      this.sql.exec('DELETE FROM presence_sent WHERE user_id = ?', entry.userId);
      return;
    }
    this.sql.exec(
      `INSERT INTO presence_sent (user_id, state, dnd, dnd_changed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, dnd = excluded.dnd, dnd_changed_at = excluded.dnd_changed_at`,
      entry.userId,
      entry.state,
      entry.dnd ? 1 : 0,
      entry.dndChangedAt,
    );
  }

  /** Every user clients were told something about. */
  sentUsers(): PresenceEntry[] {
    return this.sql
      .exec<{ user_id: string; state: PresenceEntry['state']; dnd: number; dnd_changed_at: number | null }>(
        'SELECT user_id, state, dnd, dnd_changed_at FROM presence_sent',
      )
      .toArray()
      .map((r) => ({ userId: r.user_id, state: r.state, dnd: r.dnd === 1, dndChangedAt: r.dnd_changed_at }));
  }
}

/** A user's edge devices as one summary; anything past its time counts as gone. */
function summarise(
  rows: Array<{ registered_until: number | null; call_state: EdgeCallState | null; call_until: number | null }>,
  now: number,
): EdgeSummary {
  return {
    registered: rows.some((r) => r.registered_until !== null && r.registered_until > now),
    call: strongestCall(rows.map((r) => (r.call_until !== null && r.call_until > now ? r.call_state : null))),
  };
}
