import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback stand-in for Twilio's Messages API and Postmark's email API, so
// the adapters are tested against real HTTP: the same paths, auth, content
// types, required fields and answer shapes as the providers document, and
// nothing ever leaves the machine.
// https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
// https://postmarkapp.com/developer/api/email-api

/** The account the sandbox's Twilio accepts (AC + 32 hex, like a real Account SID). */
export const SANDBOX_TWILIO_ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
/** The auth token paired with SANDBOX_TWILIO_ACCOUNT_SID. */
export const SANDBOX_TWILIO_AUTH_TOKEN = 'sandbox-twilio-auth-token-0000000';
/** The server token the sandbox's Postmark accepts. */
export const SANDBOX_POSTMARK_SERVER_TOKEN = '5a1dbc0e-0000-4000-8000-5a1db0c5e7e1';

/** One provider request the sandbox received, with what it answered. */
export interface SandboxRequest {
  api: 'twilio' | 'postmark' | 'unknown';
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Form fields (Twilio) or the parsed JSON body (Postmark); empty when unreadable. */
  fields: Record<string, unknown>;
  /** The status answered, or 0 when the connection was dropped on purpose. */
  status: number;
  answer: unknown;
}

/** What `POST /__sandbox/fail-next` queues: an error status, a dropped connection, or a slow answer. */
export interface SandboxFailure {
  status?: number;
  drop?: boolean;
  delayMs?: number;
  times?: number;
}

/** A running sandbox. */
export interface ProviderSandbox {
  url: string;
  port: number;
  received(): SandboxRequest[];
  stop(): Promise<void>;
}

interface Answer {
  status: number;
  body?: unknown;
  drop?: boolean;
}

const TWILIO_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;

/** Starts the sandbox on 127.0.0.1 (a free port unless one is given). */
export async function startProviderSandbox(options: { port?: number } = {}): Promise<ProviderSandbox> {
  const received: SandboxRequest[] = [];
  const failures: SandboxFailure[] = [];

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const raw = await readBody(req);
      if (url.pathname.startsWith('/__sandbox/')) return send(res, control(req.method ?? '', url.pathname, raw));
      const failure = failures.shift();
      if (failure?.delayMs) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
      const api = TWILIO_PATH.test(url.pathname) ? 'twilio' : url.pathname === '/email' ? 'postmark' : 'unknown';
      const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
      const fields = parseFields(api, headers['content-type'], raw);
      const answer =
        failure?.status || failure?.drop ? injected(api, failure) : answerFor(api, req.method ?? '', url.pathname, headers, fields);
      received.push({
        api,
        method: req.method ?? '',
        path: url.pathname,
        headers,
        fields: fields ?? {},
        status: answer.drop ? 0 : answer.status,
        answer: answer.body,
      });
      if (answer.drop) return void req.socket.destroy();
      send(res, answer);
    } catch (error) {
      send(res, { status: 500, body: { sandboxError: String(error) } });
    }
  });

  /** The test-only endpoints: what was received, and failures to inject. */
  function control(method: string, path: string, raw: string): Answer {
    if (path === '/__sandbox/messages' && method === 'GET') return { status: 200, body: received };
    if (path === '/__sandbox/messages' && method === 'DELETE') {
      received.length = 0;
      failures.length = 0;
      return { status: 204 };
    }
    if (path === '/__sandbox/fail-next' && method === 'POST') {
      const failure = JSON.parse(raw || '{}') as SandboxFailure;
      for (let i = 0; i < (failure.times ?? 1); i++) failures.push(failure);
      return { status: 204 };
    }
    return { status: 404, body: { error: `no sandbox control ${method} ${path}` } };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received: () => [...received],
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // workerd keeps connections alive; close() alone would wait for them.
        server.closeAllConnections();
      }),
  };
}

function answerFor(
  api: SandboxRequest['api'],
  method: string,
  path: string,
  headers: Record<string, string>,
  fields: Record<string, unknown> | undefined,
): Answer {
  if (api === 'twilio') return twilio(method, path, headers, fields ?? {});
  if (api === 'postmark') return postmark(method, headers, fields);
  return { status: 404, body: { error: `no such provider path: ${path}` } };
}

function twilioError(status: number, code: number, message: string): Answer {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

function twilio(method: string, path: string, headers: Record<string, string>, fields: Record<string, unknown>): Answer {
  const [user, password] = basicAuth(headers.authorization);
  if (user !== SANDBOX_TWILIO_ACCOUNT_SID || password !== SANDBOX_TWILIO_AUTH_TOKEN) return twilioError(401, 20003, 'Authenticate');
  const accountSid = TWILIO_PATH.exec(path)?.[1];
  if (accountSid !== SANDBOX_TWILIO_ACCOUNT_SID) return twilioError(404, 20404, `The requested resource ${path} was not found`);
  if (method !== 'POST') return twilioError(405, 20004, 'Method not allowed');
  const to = typeof fields.To === 'string' ? fields.To : '';
  const from = typeof fields.From === 'string' ? fields.From : '';
  const body = typeof fields.Body === 'string' ? fields.Body : '';
  if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
  if (!from) return twilioError(400, 21603, "A 'From' phone number is required.");
  if (!body) return twilioError(400, 21602, 'Message body is required.');
  if (!E164.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
  if (!E164.test(from) && !ALPHANUMERIC_SENDER.test(from)) {
    return twilioError(400, 21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
  }
  if (body.length > 1600) return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const now = new Date().toUTCString().replace('GMT', '+0000');
  return {
    status: 201,
    body: {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: String(Math.ceil(body.length / 160)),
      price: null,
      price_unit: 'USD',
      sid,
      status: 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      to,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
    },
  };
}

function postmarkError(status: number, code: number, message: string): Answer {
  return { status, body: { ErrorCode: code, Message: message } };
}

function postmark(method: string, headers: Record<string, string>, fields: Record<string, unknown> | undefined): Answer {
  if (method !== 'POST') return { status: 405, body: { Message: `The requested resource does not support http method '${method}'.` } };
  const token = headers['x-postmark-server-token'];
  if (!token) {
    return postmarkError(
      401,
      10,
      'No Account or Server API tokens were supplied in the HTTP headers. Please add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token.',
    );
  }
  if (token !== SANDBOX_POSTMARK_SERVER_TOKEN) {
    return postmarkError(
      401,
      10,
      'The Server Token you provided in the X-Postmark-Server-Token request header was invalid. Please verify that you are using a valid token.',
    );
  }
  if (!headers['content-type']?.startsWith('application/json'))
    return { status: 415, body: { Message: 'Content-Type must be application/json.' } };
  if (!headers.accept?.includes('application/json')) return { status: 406, body: { Message: 'Accept must include application/json.' } };
  if (fields === undefined) return postmarkError(422, 402, 'Received invalid JSON input.');
  const from = typeof fields.From === 'string' ? fields.From : '';
  const to = typeof fields.To === 'string' ? fields.To : '';
  if (!from || !isAddress(from)) return postmarkError(422, 300, `Invalid 'From' address: '${from}'.`);
  if (!to) return postmarkError(422, 300, 'Zero recipients specified');
  const bad = to.split(',').find((address) => !isAddress(address));
  if (bad !== undefined)
    return postmarkError(422, 300, `Error parsing 'To': Illegal email address '${bad.trim()}'. It must contain the '@' symbol.`);
  if (!fields.TextBody && !fields.HtmlBody) return postmarkError(422, 300, 'Provide either email TextBody or HtmlBody or both.');
  if (fields.MessageStream !== undefined && fields.MessageStream !== 'outbound') {
    return postmarkError(422, 1235, "The message stream for the provided 'ID' was not found.");
  }
  return { status: 200, body: { To: to, SubmittedAt: new Date().toISOString(), MessageID: randomUUID(), ErrorCode: 0, Message: 'OK' } };
}

/** A failure queued by fail-next, in the provider's own error shape. */
function injected(api: SandboxRequest['api'], failure: SandboxFailure): Answer {
  if (failure.drop) return { status: 0, drop: true };
  const status = failure.status ?? 500;
  if (api === 'twilio') return twilioError(status, 20000 + status, `Sandbox failure (${status})`);
  return postmarkError(status, status, `Sandbox failure (${status})`);
}

function isAddress(value: string): boolean {
  const address = /<([^>]*)>\s*$/.exec(value)?.[1] ?? value;
  return EMAIL.test(address.trim());
}

function basicAuth(header: string | undefined): [string, string] | [] {
  if (!header?.startsWith('Basic ')) return [];
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? [] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/** Form fields for Twilio (none unless form-encoded, as Twilio reads them), else the JSON object; undefined when unreadable. */
function parseFields(api: SandboxRequest['api'], contentType: string | undefined, raw: string): Record<string, unknown> | undefined {
  if (api === 'twilio') {
    return contentType?.startsWith('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw)) : {};
  }
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, answer: Answer): void {
  if (answer.body === undefined) return void res.writeHead(answer.status).end();
  res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer.body));
}
