/** Signing in through the Worker's API, as the app does, from the Node tests and the benches. */

/** The session cookie's name, as worker/auth/cookies.ts sets it. */
export const SESSION_COOKIE = '__Host-sp_session';

/** Signs a user in and returns the session cookie (`name=value`); throws unless the sign-in answers 200 with one. */
export async function signInCookie(appUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${appUrl}/api/auth/signin`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: appUrl },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  // Picked by name: the answer may set other cookies too.
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return cookie;
}
