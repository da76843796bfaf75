/**
 * Local secrets for `wrangler dev`: `.dev.vars` (git-ignored) is written once
 * with a random AUTH_SECRET, so a fresh clone runs without any manual step
 * and no secret is ever committed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './wrangler';

/** A random secret, as wrangler would receive from `wrangler secret put`. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Creates `.dev.vars` or adds the secrets it lacks; returns its path. */
export function ensureDevVars(): string {
  const file = join(ROOT, '.dev.vars');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const missing: string[] = [];
  if (!/^AUTH_SECRET=/m.test(current)) missing.push(`AUTH_SECRET=${randomSecret()}`);
  if (missing.length > 0) {
    const header = current ? '' : '# Local secrets for wrangler dev, written by npm start. Never commit this file.\n';
    writeFileSync(file, `${current}${current && !current.endsWith('\n') ? '\n' : ''}${header}${missing.join('\n')}\n`, { mode: 0o600 });
  }
  return file;
}
