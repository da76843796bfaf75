import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The session cookie. `__Host-` pins it to this origin (Secure, Path=/, no
 * Domain); HttpOnly keeps it from scripts; SameSite=Strict keeps it off
 * cross-site requests, which with the Origin check is the CSRF defence.
 */
export const SESSION_COOKIE = '__Host-sp_session';

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function writeSessionCookie(c: Context, token: string, expiresAt: number): void {
  setCookie(c, SESSION_COOKIE, token, { path: '/', secure: true, httpOnly: true, sameSite: 'Strict', expires: new Date(expiresAt) });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'Strict' });
}
