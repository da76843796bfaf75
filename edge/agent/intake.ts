/**
 * Where Kamailio posts call events (`POST /events`, loopback only, the edge
 * secret as a bearer token): each is appended to the spool and fsync'd, then
 * answered at once. Delivery to the Worker happens later, elsewhere, so a
 * call never waits on the Worker.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { EdgeDeliveryItem } from '../../shared/calls-api';
import type { Deliverer } from './deliver';
import type { Spool } from './spool';
import { fromKamailio } from './wire';

/** Larger posts are refused: Kamailio sends a few events at a time. */
const MAX_BODY = 256 * 1024;

export interface IntakeOptions {
  spool: Spool;
  deliverer: Deliverer;
  secret: string;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** More of the agent's state for `GET /health` (the recordings' uploader). */
  health?: () => Record<string, unknown>;
}

function sameSecret(presented: string, secret: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The agent's HTTP server: `POST /events` from Kamailio, `GET /health` for people and tests. */
export function createIntake(options: IntakeOptions): Server {
  const { spool, deliverer, log } = options;
  let invalid = 0;
  return createServer(async (req, res) => {
    const reply = (status: number, body: unknown) =>
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && req.url === '/health') {
      return reply(200, { pending: spool.size, invalid, workerReachable: !deliverer.failing, ...deliverer.stats, ...options.health?.() });
    }
    if (req.method !== 'POST' || req.url !== '/events') return reply(404, { error: 'not found' });
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!sameSecret(presented, options.secret)) return reply(401, { error: 'unauthorized' });
    const body = await readBody(req).catch(() => null);
    if (body === null) return reply(413, { error: 'too large' });
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      return reply(400, { error: 'not JSON' });
    }
    const events: EdgeDeliveryItem[] = [];
    for (const item of Array.isArray(raw) ? raw : [raw]) {
      const read = fromKamailio(item);
      if ('event' in read) events.push(read.event);
      else {
        invalid++;
        log('unusable event from Kamailio', { error: read.error, item });
      }
    }
    try {
      await spool.append(events);
    } catch (err) {
      // Not spooled: Kamailio keeps it and posts it again.
      log('spool write failed', { error: String(err) });
      return reply(503, { error: 'spool unavailable' });
    }
    reply(200, { spooled: events.length });
    deliverer.poke();
  });
}
