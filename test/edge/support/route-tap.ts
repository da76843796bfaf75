/**
 * A pass-through in front of the Worker's edge API, between Kamailio and
 * `wrangler dev`: it records every routing decision, can answer chosen calls
 * with a decision the Worker does not make yet (voicemail, block, a busy
 * reject), and can play a Worker that is down (connection refused, exactly
 * what Kamailio sees when wrangler dev stops) or hanging (to hit Kamailio's
 * timeout). Controlled over its own HTTP port, so tests in other processes can
 * drive it.
 */
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the tap behaves. */
export type TapMode = 'pass' | 'down' | 'hang';

/** One decision as Kamailio received it. */
export interface TapRecord {
  body: Record<string, unknown>;
  status: number;
  answer: unknown;
  /** Time to answer, ms. */
  ms: number;
  overridden: boolean;
}

/** What tests send to the control port. */
export interface TapControl {
  mode?: TapMode;
  /** Decisions to answer instead of the Worker, keyed by the dialled `to`. */
  overrides?: Record<string, unknown>;
  /** Forget the recorded decisions. */
  reset?: boolean;
}

/** A running tap. */
export interface RouteTap {
  /** Where Kamailio sends route requests. */
  url: string;
  /** Where tests control it (`POST /` with a TapControl, `GET /` for the records). */
  controlUrl: string;
  stop(): Promise<void>;
}

/** The body as bytes: uploads (voicemail audio) pass through unchanged. */
const readBytes = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
const readBody = async (req: IncomingMessage) => (await readBytes(req)).toString('utf8');

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Starts the tap forwarding to `workerUrl`. */
export async function startRouteTap(workerUrl: string): Promise<RouteTap> {
  const target = new URL(workerUrl);
  let mode: TapMode = 'pass';
  let overrides: Record<string, unknown> = {};
  const records: TapRecord[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();

  const proxy = createServer(async (req, res) => {
    const started = performance.now();
    const bytes = await readBytes(req);
    const raw = bytes.toString('utf8');
    if (mode === 'hang') {
      hanging.add(res);
      return;
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw);
    } catch {
      // forwarded as it is; the Worker answers 400
    }
    const override = typeof body.to === 'string' ? overrides[body.to] : undefined;
    if (override !== undefined) {
      records.push({ body, status: 200, answer: override, ms: performance.now() - started, overridden: true });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(override));
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
      async (answer) => {
        const answerBytes = await readBytes(answer);
        const text = answerBytes.toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON
        }
        records.push({ body, status: answer.statusCode ?? 0, answer: parsed, ms: performance.now() - started, overridden: false });
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(answerBytes);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    upstream.end(bytes);
  });
  const port = await listen(proxy);

  const control = createServer(async (req, res) => {
    if (req.method === 'POST') {
      const change = JSON.parse((await readBody(req)) || '{}') as TapControl;
      if (change.reset) records.length = 0;
      if (change.overrides) overrides = change.overrides;
      if (change.mode && change.mode !== mode) {
        if (change.mode === 'down') {
          // Refuse connections like a stopped server, and drop anything held.
          await new Promise<void>((resolve) => {
            proxy.close(() => resolve());
            proxy.closeAllConnections();
          });
        } else if (mode === 'down') {
          await listen(proxy, port);
        }
        if (change.mode !== 'hang') {
          for (const held of hanging) held.destroy();
          hanging.clear();
        }
        mode = change.mode;
      }
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ mode, records }));
  });
  const controlPort = await listen(control);

  return {
    url: `http://127.0.0.1:${port}`,
    controlUrl: `http://127.0.0.1:${controlPort}`,
    stop: async () => {
      for (const held of hanging) held.destroy();
      proxy.closeAllConnections();
      control.closeAllConnections();
      await Promise.all([new Promise((r) => proxy.close(r)), new Promise((r) => control.close(r))]);
    },
  };
}

/** Changes the tap from a test and returns what it recorded. */
export async function controlTap(controlUrl: string, change: TapControl = {}): Promise<{ mode: TapMode; records: TapRecord[] }> {
  const res = await fetch(controlUrl, { method: 'POST', body: JSON.stringify(change) });
  return res.json() as Promise<{ mode: TapMode; records: TapRecord[] }>;
}
