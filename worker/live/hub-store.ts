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

/** What the media edge last said about a user's devices and calls. */
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
        PRIMARY KEY (user_id, device_id)
      );
      DROP TABLE IF EXISTS edge_calls;
      CREATE TABLE IF NOT EXISTS edge_call_states (
        user_id TEXT NOT NULL,
        call_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('idle', 'ringing', 'on_call')),
        at INTEGER NOT NULL,
        until INTEGER NOT NULL,
        PRIMARY KEY (user_id, call_id)
      );
      CREATE TABLE IF NOT EXISTS presence_sent (
        user_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        dnd INTEGER NOT NULL,
        dnd_changed_at INTEGER
      );
    `);
    // Objects from before calls had their own table kept call states on edge_devices
    // (call_state, call_until): those rows without a registration are nothing now.
    sql.exec('DELETE FROM edge_devices WHERE registered_until IS NULL');
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
    if (until === null) {
      this.sql.exec('DELETE FROM edge_devices WHERE user_id = ? AND device_id = ?', userId, deviceId);
      return;
    }
    this.sql.exec(
      `INSERT INTO edge_devices (user_id, device_id, registered_until) VALUES (?, ?, ?)
       ON CONFLICT (user_id, device_id) DO UPDATE SET registered_until = excluded.registered_until`,
      userId,
      deviceId,
      until,
    );
  }

  /**
   * Records a user's part in one call as of `at` (the time of the call's
   * latest event); `idle` ends it. Kept per call, so a second call (call
   * waiting) neither hides nor ends the first. A state older than the one
   * held changes nothing: two deliveries' writes can land out of order (an
   * answer's after its end's), and the end is kept (as `idle`, until it runs
   * out) for that. `until` bounds a state nobody ends (a lost event).
   */
  setCall(userId: string, callId: string, state: EdgeCallState, at: number, until: number): void {
    this.sql.exec(
      `INSERT INTO edge_call_states (user_id, call_id, state, at, until) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id, call_id) DO UPDATE SET state = excluded.state, at = excluded.at, until = excluded.until
         WHERE excluded.at >= edge_call_states.at`,
      userId,
      callId,
      state,
      at,
      until,
    );
  }

  /** A user's devices and calls at the edge, summed up; anything past its time counts as gone. */
  edgeFor(userId: string, now: number): EdgeSummary {
    const registered = this.sql
      .exec('SELECT 1 FROM edge_devices WHERE user_id = ? AND registered_until > ? LIMIT 1', userId, now)
      .toArray().length;
    const calls = this.sql
      .exec<{ state: EdgeCallState }>("SELECT state FROM edge_call_states WHERE user_id = ? AND until > ? AND state != 'idle'", userId, now)
      .toArray();
    return { registered: registered > 0, call: strongestCall(calls.map((c) => c.state)) };
  }

  /** Every user's devices and calls at the edge, summed up, in two reads (for snapshots). */
  edgeAll(now: number): Map<string, EdgeSummary> {
    const all = new Map<string, EdgeSummary>();
    const summary = (userId: string) => {
      let entry = all.get(userId);
      if (!entry) {
        entry = { registered: false, call: null };
        all.set(userId, entry);
      }
      return entry;
    };
    for (const row of this.sql
      .exec<{ user_id: string }>('SELECT DISTINCT user_id FROM edge_devices WHERE registered_until > ?', now)
      .toArray()) {
      summary(row.user_id).registered = true;
    }
    for (const row of this.sql
      .exec<{ user_id: string; state: EdgeCallState }>(
        "SELECT user_id, state FROM edge_call_states WHERE until > ? AND state != 'idle'",
        now,
      )
      .toArray()) {
      const entry = summary(row.user_id);
      entry.call = strongestCall([entry.call, row.state]);
    }
    return all;
  }

  /** Users the edge has anything on. */
  edgeUsers(): string[] {
    return this.sql
      .exec<{ user_id: string }>("SELECT user_id FROM edge_devices UNION SELECT user_id FROM edge_call_states WHERE state != 'idle'")
      .toArray()
      .map((r) => r.user_id);
  }

  /** Forgets registrations and calls past their time; returns the users they belonged to. */
  expireEdge(now: number): string[] {
    const users = this.sql
      .exec<{ user_id: string }>(
        // An ended call's idle row running out changes nobody's presence: only its user's other rows count.
        "SELECT user_id FROM edge_devices WHERE registered_until <= ?1 UNION SELECT user_id FROM edge_call_states WHERE until <= ?1 AND state != 'idle'",
        now,
      )
      .toArray()
      .map((r) => r.user_id);
    this.sql.exec('DELETE FROM edge_devices WHERE registered_until <= ?', now);
    this.sql.exec('DELETE FROM edge_call_states WHERE until <= ?', now);
    return users;
  }

  /** When the next registration or call runs out, if any. */
  nextEdgeExpiry(): number | null {
    const row = this.sql
      .exec<{ t: number | null }>(
        'SELECT MIN(t) AS t FROM (SELECT MIN(registered_until) AS t FROM edge_devices UNION ALL SELECT MIN(until) FROM edge_call_states)',
      )
      .toArray()[0];
    return row?.t ?? null;
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
