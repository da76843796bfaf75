/**
 * Local secrets for `wrangler dev`: `.dev.vars` (git-ignored) is written once
 * with random secrets, so a fresh clone runs without any manual step and no
 * secret is ever committed. The media edge reads the two it shares with the
 * Worker from the same file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './wrangler';

/** The secrets `npm start` generates: the Worker's own, and the two it shares with the media edge. */
const GENERATED = ['AUTH_SECRET', 'SIP_AUTH_SECRET', 'EDGE_API_SECRET'] as const;

/** A random secret, as wrangler would receive from `wrangler secret put`. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Creates `.dev.vars` or adds the secrets it lacks; returns its path. */
export function ensureDevVars(): string {
  const file = join(ROOT, '.dev.vars');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const missing = GENERATED.filter((name) => !new RegExp(`^${name}=`, 'm').test(current)).map((name) => `${name}=${randomSecret()}`);
  if (missing.length > 0) {
    const header = current ? '' : '# Local secrets for wrangler dev, written by npm start. Never commit this file.\n';
    writeFileSync(file, `${current}${current && !current.endsWith('\n') ? '\n' : ''}${header}${missing.join('\n')}\n`, { mode: 0o600 });
  }
  return file;
}

/** The NAME=value pairs of `.dev.vars` (comments and blank lines skipped; optional quotes removed). */
export function readDevVars(file = join(ROOT, '.dev.vars')): Record<string, string> {
  const vars: Record<string, string> = {};
  if (!existsSync(file)) return vars;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1]) vars[match[1]] = (match[2] ?? '').replace(/^(["'])(.*)\1$/, '$2');
  }
  return vars;
}
