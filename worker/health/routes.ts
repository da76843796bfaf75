import { Hono } from 'hono';
import pkg from '../../package.json';
import type { AppEnv } from '../platform/context';

/** `GET /api/health`: the version and whether D1 answers. Never cached. */
export const healthRoutes = new Hono<AppEnv>().get('/', async (c) => {
  let d1: 'ok' | 'unreachable' = 'ok';
  try {
    await c.env.DB.prepare('SELECT 1').first();
  } catch (err) {
    d1 = 'unreachable';
    c.get('log')('error', 'health: D1 unreachable', { error: String(err) });
  }
  const healthy = d1 === 'ok';
  c.header('Cache-Control', 'no-store');
  return c.json({ status: healthy ? 'ok' : 'degraded', version: pkg.version, env: c.env.APP_ENV, checks: { d1 } }, healthy ? 200 : 503);
});
