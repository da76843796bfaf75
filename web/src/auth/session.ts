import { signal } from '@preact/signals';
import type { Me } from '../../../shared/auth-api';
import { ApiError, api, setUnauthorizedHandler } from '../api/client';

/**
 * The last `Me` this device saw, so the shell opens offline for a signed-in
 * user. Only what `GET /api/me` returns (names, business, number): never a
 * token or a password; the session itself is an HttpOnly cookie.
 */
export const ME_CACHE_KEY = 'softphone.me';

function readCache(): Me | undefined {
  try {
    const raw = localStorage.getItem(ME_CACHE_KEY);
    return raw ? (JSON.parse(raw) as Me) : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(value: Me | null): void {
  try {
    if (value) localStorage.setItem(ME_CACHE_KEY, JSON.stringify(value));
    else localStorage.removeItem(ME_CACHE_KEY);
  } catch {
    // Storage full or blocked (private mode): the app still works online.
  }
}

/** Who is signed in: `undefined` until known, `null` when nobody is. */
export const me = signal<Me | null | undefined>(readCache());

/** Set when `/api/me` could not be asked and nothing was cached: the app cannot tell who you are. */
export const meUnreachable = signal(false);

/**
 * When `me` last changed by a sign-in or sign-out (`performance.now()`): an
 * answer to a request sent before then says nothing about the session now
 * (`/api/me` sent signed out can arrive after the sign-up link signed in).
 */
let changedAt = Number.NEGATIVE_INFINITY;

/** Someone signed in (or their profile changed): remember them. */
export function signedIn(value: Me): void {
  changedAt = performance.now();
  meUnreachable.value = false;
  me.value = value;
  writeCache(value);
}

/** Nobody is signed in any more: forget them on this device. */
export function signedOut(): void {
  changedAt = performance.now();
  me.value = null;
  writeCache(null);
}

/**
 * Asks the server who is signed in. A 401 means nobody; a network failure
 * keeps the cached user (offline) or, with none, reports `meUnreachable`.
 */
export async function loadMe(): Promise<void> {
  const startedAt = performance.now();
  try {
    const value = await api.get<Me>('/api/me');
    if (startedAt > changedAt) signedIn(value);
  } catch (e) {
    if (startedAt <= changedAt) return;
    if (e instanceof ApiError && e.status === 401) signedOut();
    else if (me.value === undefined) meUnreachable.value = true;
  }
}

/** Whether the signed-in user may manage the business (the server enforces it). */
export function isAdmin(value: Me | null | undefined): boolean {
  return value?.user.role === 'admin';
}

// A session that ends while the app is open (revoked on another device,
// expired) sends the user to sign in again.
setUnauthorizedHandler((_problem, startedAt) => {
  if (me.value && startedAt > changedAt) signedOut();
});

// Signing in or out in another tab applies to this one too.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== ME_CACHE_KEY && event.key !== null) return;
    changedAt = performance.now();
    me.value = readCache() ?? null;
  });
}
