import { LIFETIMES } from '../auth/lifetimes';
import { hmacHex } from '../auth/tokens';
import { Problem } from '../platform/problem';

type TrialIdentity = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

/** The registry key: an HMAC, so the registry never holds an email or a phone number. */
function identityHash(secret: string, identity: TrialIdentity): Promise<string> {
  return hmacHex(secret, `trial:${identity.kind}:${identity.value.toLowerCase()}`);
}

/** Refuses a trial when this email or phone started one in the last 12 months. */
export async function assertTrialAvailable(env: Env, identities: TrialIdentity[], now = Date.now()): Promise<void> {
  for (const identity of identities) {
    const hit = await env.DB.prepare('SELECT 1 FROM trial_registry WHERE identity_hash = ? AND expires_at > ?')
      .bind(await identityHash(env.AUTH_SECRET, identity), now)
      .first();
    if (hit) {
      throw new Problem(
        409,
        'trial_already_used',
        'A free trial was already used',
        `This ${identity.kind === 'email' ? 'email address' : 'phone number'} started a free trial in the last 12 months. Contact us to buy a plan instead.`,
      );
    }
  }
}

/** Statements remembering the trial's identities for a year (run in the sign-up batch). */
export async function recordTrial(env: Env, identities: TrialIdentity[], now = Date.now()): Promise<D1PreparedStatement[]> {
  const statements: D1PreparedStatement[] = [];
  for (const identity of identities) {
    statements.push(
      env.DB.prepare('INSERT OR REPLACE INTO trial_registry (identity_hash, kind, started_at, expires_at) VALUES (?, ?, ?, ?)').bind(
        await identityHash(env.AUTH_SECRET, identity),
        identity.kind,
        now,
        now + LIFETIMES.trialMemory,
      ),
    );
  }
  return statements;
}
