/** Screens anyone may open, signed in or not. */
const PUBLIC_ROOTS = ['/signin', '/signup', '/forgot-password', '/reset-password', '/invite'];

function under(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** Sign-in, sign-up, password reset and invitation screens: reachable without a session, shown without the navigation. */
export function isPublicPath(path: string): boolean {
  return PUBLIC_ROOTS.some((root) => under(path, root));
}

/** The sign-in screens, which a signed-in user skips. */
export function isSignInPath(path: string): boolean {
  return under(path, '/signin');
}

/**
 * Where to go after sign-in: only a path inside this app, never another site
 * (`//evil`, `/\evil`, or `/\t/evil`, which URL parsing turns into `//evil`).
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith('/')) return '/';
  const base = 'https://app.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return '/';
  }
  if (url.origin !== base || isPublicPath(url.pathname)) return '/';
  return url.pathname + url.search + url.hash;
}

/** The sign-in screen, remembering where the user was going. */
export function signInUrl(returnTo: string, base = '/signin'): string {
  return returnTo === '/' || !returnTo.startsWith('/') ? base : `${base}?next=${encodeURIComponent(returnTo)}`;
}
