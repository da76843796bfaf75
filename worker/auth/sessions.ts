import type { Context } from 'hono';
import { clientAddress } from '../abuse/client-address';
import { readSeatFeatures, SEAT_FEATURES } from '../admin/licences';
import type { AppEnv, AuthContext } from '../platform/context';
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from './cookies';
import { deviceLabel } from './device-label';
import { LIFETIMES } from './lifetimes';
import { hex, newId, randomToken, sha256Hex } from './tokens';

interface SessionRow {
  id: string;
  business_id: string;
  user_id: string;
  role: 'user' | 'admin';
  last_seen_at: number;
  idle_expires_at: number;
  absolute_expires_at: number;
  /** The session's public device id (0011): what its SIP Contact carries. Null only for sessions written outside startSession. */
  device_id: string | null;
}

/** Starts a session for a user: a fresh token in the cookie, only its hash in D1. */
export async function startSession(c: Context<AppEnv>, user: { id: string; businessId: string }): Promise<string> {
  const token = randomToken();
  const now = Date.now();
  const id = newId('ses');
  const absolute = now + LIFETIMES.sessionAbsolute;
  await c.env.DB.prepare(
    `INSERT INTO sessions (id, token_hash, business_id, user_id, device_label, device_id, ip, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      await sha256Hex(token),
      user.businessId,
      user.id,
      deviceLabel(c.req.header('User-Agent')),
      newDeviceId(),
      clientAddress(c.req.raw),
      now,
      now,
      now + LIFETIMES.sessionIdle,
      absolute,
    )
    .run();
  writeSessionCookie(c, token, absolute);
  return id;
}

/**
 * The caller's session, if the cookie names a live one whose user and
 * business may still sign in. Slides the idle expiry forward (at most once
 * an hour, to keep writes rare).
 */
export async function currentSession(c: Context<AppEnv>): Promise<AuthContext | undefined> {
  const row = await liveSessionRow(c);
  return row && authOf(row);
}

/**
 * `currentSession`, plus whether the user's seat has calling and the
 * session's public device id, from the same query: the SIP credentials route
 * is on the path from opening the app to its line being ready, and a second
 * round trip to D1 cost it that much.
 */
export async function currentSessionWithCalling(
  c: Context<AppEnv>,
): Promise<(AuthContext & { calling: boolean; deviceId: string | null }) | undefined> {
  const row = await liveSessionRow(c);
  return row && { ...authOf(row), calling: readSeatFeatures(row).calling, deviceId: row.device_id };
}

/** A session's public device id: 96 random bits as 24 hex digits, the form migration 0011 gave older sessions. */
function newDeviceId(): string {
  return hex(crypto.getRandomValues(new Uint8Array(12)).buffer);
}

const authOf = (row: SessionRow): AuthContext => ({ sessionId: row.id, userId: row.user_id, businessId: row.business_id, role: row.role });

/** The session row the cookie names, if live, with the seat's features (`SEAT_FEATURES`: one primary-key join). */
async function liveSessionRow(c: Context<AppEnv>): Promise<(SessionRow & Record<string, unknown>) | undefined> {
  const token = readSessionCookie(c);
  if (!token || token.length > 128) return undefined;
  const now = Date.now();
  const row = await c.env.DB.prepare(
    `SELECT s.id, s.business_id, s.user_id, u.role, s.last_seen_at, s.idle_expires_at, s.absolute_expires_at, s.device_id, ${SEAT_FEATURES}
       FROM sessions s
       JOIN users u ON u.id = s.user_id AND u.business_id = s.business_id
       JOIN businesses b ON b.id = s.business_id
       LEFT JOIN user_licences l ON l.business_id = s.business_id AND l.user_id = s.user_id
      WHERE s.token_hash = ? AND s.revoked_at IS NULL
        AND u.status = 'active' AND b.status IN ('trial', 'active')`,
  )
    .bind(await sha256Hex(token))
    .first<SessionRow & Record<string, unknown>>();
  if (!row || row.idle_expires_at <= now || row.absolute_expires_at <= now) return undefined;
  if (now - row.last_seen_at >= LIFETIMES.sessionTouch) {
    const idle = Math.min(now + LIFETIMES.sessionIdle, row.absolute_expires_at);
    c.executionCtx.waitUntil(
      c.env.DB.prepare('UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE id = ?').bind(now, idle, row.id).run(),
    );
  }
  return row;
}

/** Revokes the current session and clears the cookie. */
export async function endSession(c: Context<AppEnv>, auth: AuthContext): Promise<void> {
  await c.env.DB.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND business_id = ? AND revoked_at IS NULL')
    .bind(Date.now(), auth.sessionId, auth.businessId)
    .run();
  clearSessionCookie(c);
}

/** A statement revoking a user's sessions, optionally sparing one (the one changing the password). */
export function revokeUserSessions(db: D1Database, businessId: string, userId: string, except?: string): D1PreparedStatement {
  return db
    .prepare('UPDATE sessions SET revoked_at = ? WHERE business_id = ? AND user_id = ? AND revoked_at IS NULL AND id IS NOT ?')
    .bind(Date.now(), businessId, userId, except ?? null);
}
