import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { devRoutes } from '../../worker/dev/routes';
import { outboxEmailSender, outboxSmsSender } from '../../worker/messaging/dev-outbox';
import { emailSender, smsSender } from '../../worker/messaging/index';
import { postmarkEmailSender } from '../../worker/messaging/postmark-email';
import { twilioSmsSender } from '../../worker/messaging/twilio-sms';
import type { AppEnv } from '../../worker/platform/context';
import { onError } from '../../worker/platform/errors';
import { requestId, secureHeaders } from '../../worker/platform/middleware';
import { Problem } from '../../worker/platform/problem';

// The sandbox (test/support/provider-sandbox.ts) runs in Node; its record of a request, as it lists it.
interface SandboxRequest {
  api: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  fields: Record<string, unknown>;
  status: number;
  answer: Record<string, unknown> | undefined;
}

const SANDBOX = env.TWILIO_API_BASE;
const FAST = { retryDelayMs: 10 };

async function received(): Promise<SandboxRequest[]> {
  return (await (await fetch(`${SANDBOX}/__sandbox/messages`)).json()) as SandboxRequest[];
}

async function failNext(failure: { status?: number; drop?: boolean; delayMs?: number; times?: number }): Promise<void> {
  const res = await fetch(`${SANDBOX}/__sandbox/fail-next`, { method: 'POST', body: JSON.stringify(failure) });
  expect(res.status).toBe(204);
}

function envWith(overrides: Partial<Record<keyof Env, string>>): Env {
  return { ...env, ...overrides } as Env;
}

/** The problem a promise rejects with, so its fields can be checked one by one. */
async function problemFrom(promise: Promise<unknown>): Promise<Problem> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Problem);
  return error as Problem;
}

function twilio(overrides: { authToken?: string } = {}, options = {}) {
  return twilioSmsSender(
    {
      apiBase: env.TWILIO_API_BASE,
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: overrides.authToken ?? env.TWILIO_AUTH_TOKEN,
      from: env.SMS_FROM,
    },
    { ...FAST, ...options },
  );
}

function postmark(overrides: { serverToken?: string } = {}) {
  return postmarkEmailSender(
    { apiBase: env.POSTMARK_API_BASE, serverToken: overrides.serverToken ?? env.POSTMARK_SERVER_TOKEN, from: env.EMAIL_FROM },
    FAST,
  );
}

let errorLog: MockInstance<typeof console.error>;

beforeEach(async () => {
  await fetch(`${SANDBOX}/__sandbox/messages`, { method: 'DELETE' });
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  errorLog.mockRestore();
});

/** Every JSON line logged through console.error. */
function loggedLines(): Array<Record<string, unknown>> {
  return errorLog.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
}

describe('the Twilio SMS adapter', () => {
  it('posts the form the Messages API expects, authenticated, and returns the sid', async () => {
    const sender = smsSender(envWith({ SMS_PROVIDER: 'twilio' }));
    const sent = await sender.sendSms({ to: '+447700900123', body: '123456 is your code. A&B = 100% +more' });

    expect(sent.id).toMatch(/^SM[0-9a-f]{32}$/);
    const requests = await received();
    expect(requests).toHaveLength(1);
    const [request] = requests as [SandboxRequest];
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Messages.json`);
    expect(request.headers.authorization).toBe(`Basic ${btoa(`${env.TWILIO_ACCOUNT_SID}:${env.TWILIO_AUTH_TOKEN}`)}`);
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request.fields).toEqual({ To: '+447700900123', From: '+15005550006', Body: '123456 is your code. A&B = 100% +more' });
    expect(request.status).toBe(201);
    expect(request.answer?.sid).toBe(sent.id);
  });

  it('turns a refusal (4xx) into sms_send_failed, without retrying or leaking the answer', async () => {
    const problem = await problemFrom(twilio().sendSms({ to: '07700 900123', body: 'code 111111' }));

    expect(problem.status).toBe(502);
    expect(problem.code).toBe('sms_send_failed');
    const forClient = JSON.stringify(problem.body());
    expect(forClient).not.toContain('21211');
    expect(forClient).not.toContain('07700');
    expect(await received()).toMatchObject([{ status: 400, answer: { code: 21211 } }]);
    expect(loggedLines()).toEqual([
      expect.objectContaining({ level: 'error', provider: 'twilio', status: 400, providerCode: 21211, attempts: 1 }),
    ]);
  });

  it('fails on bad credentials and never logs the token', async () => {
    const problem = await problemFrom(twilio({ authToken: 'wrong-token-value' }).sendSms({ to: '+447700900123', body: 'code 222222' }));

    expect(problem.code).toBe('sms_send_failed');
    expect(await received()).toMatchObject([{ status: 401, answer: { code: 20003 } }]);
    const logged = JSON.stringify(errorLog.mock.calls);
    expect(logged).toContain('20003');
    expect(logged).not.toContain('wrong-token-value');
    expect(logged).not.toContain('222222');
  });

  it('retries a single 5xx once, and succeeds', async () => {
    await failNext({ status: 503 });
    const sent = await twilio().sendSms({ to: '+447700900123', body: 'code 333333' });

    const requests = await received();
    expect(requests.map((r) => r.status)).toEqual([503, 201]);
    expect(requests[1]?.answer?.sid).toBe(sent.id);
  });

  it('retries a dropped connection once, and succeeds', async () => {
    await failNext({ drop: true });
    const sent = await twilio().sendSms({ to: '+447700900123', body: 'code 444444' });

    expect(sent.id).toMatch(/^SM[0-9a-f]{32}$/);
    expect((await received()).map((r) => r.status)).toEqual([0, 201]);
  });

  it('gives up after the one retry', async () => {
    await failNext({ status: 500, times: 3 });
    const problem = await problemFrom(twilio().sendSms({ to: '+447700900123', body: 'code 555555' }));

    expect(problem.code).toBe('sms_send_failed');
    expect((await received()).map((r) => r.status)).toEqual([500, 500]);
    expect(loggedLines()).toEqual([expect.objectContaining({ status: 500, attempts: 2 })]);
  });

  it('does not retry after a timeout', async () => {
    await failNext({ delayMs: 400, times: 2 });
    const problem = await problemFrom(twilio({}, { timeoutMs: 100 }).sendSms({ to: '+447700900123', body: 'code 666666' }));

    expect(problem.code).toBe('sms_send_failed');
    expect(loggedLines()).toEqual([expect.objectContaining({ reason: 'timeout', attempts: 1 })]);
    // The sandbox records a request once its delay is over.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await received()).toHaveLength(1);
  });
});

describe('the Postmark email adapter', () => {
  it('posts the JSON the email API expects, with the server token, and returns the MessageID', async () => {
    const sender = emailSender(envWith({ EMAIL_PROVIDER: 'postmark' }));
    const sent = await sender.sendEmail({ to: 'ada@example.com', subject: 'Reset your password', text: 'Link: x', html: '<p>Link</p>' });

    expect(sent.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const requests = await received();
    expect(requests).toHaveLength(1);
    const [request] = requests as [SandboxRequest];
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/email');
    expect(request.headers['x-postmark-server-token']).toBe(env.POSTMARK_SERVER_TOKEN);
    expect(request.headers.accept).toBe('application/json');
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(request.fields).toEqual({
      From: 'Softphone <no-reply@softphone.invalid>',
      To: 'ada@example.com',
      Subject: 'Reset your password',
      TextBody: 'Link: x',
      HtmlBody: '<p>Link</p>',
      MessageStream: 'outbound',
    });
    expect(request.answer).toMatchObject({ ErrorCode: 0, Message: 'OK', MessageID: sent.id, To: 'ada@example.com' });
  });

  it('sends no HtmlBody when there is no html', async () => {
    await postmark().sendEmail({ to: 'ada@example.com', subject: 'Plain', text: 'Only text' });
    const [request] = (await received()) as [SandboxRequest];
    expect(request.fields).not.toHaveProperty('HtmlBody');
    expect(request.fields.TextBody).toBe('Only text');
  });

  it('turns a 422 into email_send_failed without retrying', async () => {
    const problem = await problemFrom(postmark().sendEmail({ to: 'not-an-address', subject: 'Hi', text: 'Hi' }));

    expect(problem.status).toBe(502);
    expect(problem.code).toBe('email_send_failed');
    expect(JSON.stringify(problem.body())).not.toContain('not-an-address');
    expect(await received()).toMatchObject([{ status: 422, answer: { ErrorCode: 300 } }]);
    expect(loggedLines()).toEqual([expect.objectContaining({ provider: 'postmark', status: 422, providerCode: 300, attempts: 1 })]);
  });

  it('fails on a bad server token without logging it', async () => {
    const problem = await problemFrom(
      postmark({ serverToken: 'wrong-server-token' }).sendEmail({ to: 'a@example.com', subject: 'S', text: 'T' }),
    );

    expect(problem.code).toBe('email_send_failed');
    expect(await received()).toMatchObject([{ status: 401, answer: { ErrorCode: 10 } }]);
    expect(JSON.stringify(errorLog.mock.calls)).not.toContain('wrong-server-token');
  });

  it('retries a single 5xx once, and succeeds', async () => {
    await failNext({ status: 500 });
    const sent = await postmark().sendEmail({ to: 'ada@example.com', subject: 'S', text: 'T' });

    const requests = await received();
    expect(requests.map((r) => r.status)).toEqual([500, 200]);
    expect(requests[1]?.answer?.MessageID).toBe(sent.id);
  });
});

describe('the dev outbox', () => {
  async function row(id: string) {
    return env.DB.prepare('SELECT channel, recipient, subject, body, created_at FROM dev_outbox WHERE id = ?').bind(id).first();
  }

  it('keeps a text message instead of sending it', async () => {
    const before = Date.now();
    const sent = await outboxSmsSender(env.DB).sendSms({ to: '+447700900999', body: '777777 is your code' });

    expect(sent.id).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await row(sent.id);
    expect(kept).toMatchObject({ channel: 'sms', recipient: '+447700900999', subject: null, body: '777777 is your code' });
    expect(kept?.created_at).toBeGreaterThanOrEqual(before);
    expect(await received()).toEqual([]);
  });

  it('keeps an email, subject and text', async () => {
    const sent = await outboxEmailSender(env.DB).sendEmail({
      to: 'bob@example.com',
      subject: 'Invite',
      text: 'Join us',
      html: '<b>Join</b>',
    });
    expect(await row(sent.id)).toMatchObject({ channel: 'email', recipient: 'bob@example.com', subject: 'Invite', body: 'Join us' });
  });

  it('is what development gets from the configured "outbox" providers', async () => {
    expect(env.APP_ENV).toBe('development');
    const sms = await smsSender(env).sendSms({ to: '+447700900998', body: 'dev code' });
    const email = await emailSender(env).sendEmail({ to: 'dev@example.com', subject: 'Dev', text: 'dev mail' });
    expect(await row(sms.id)).toMatchObject({ channel: 'sms', body: 'dev code' });
    expect(await row(email.id)).toMatchObject({ channel: 'email', subject: 'Dev' });
    expect(await received()).toEqual([]);
  });
});

describe('choosing a provider', () => {
  it.each([
    ['sms outbox in production', () => smsSender(envWith({ SMS_PROVIDER: 'outbox', APP_ENV: 'production' }))],
    ['email outbox in production', () => emailSender(envWith({ EMAIL_PROVIDER: 'outbox', APP_ENV: 'production' }))],
    ['an unknown SMS provider', () => smsSender(envWith({ SMS_PROVIDER: 'carrier-pigeon' }))],
    ['an unknown email provider', () => emailSender(envWith({ EMAIL_PROVIDER: 'fax' }))],
    ['Twilio without its token', () => smsSender(envWith({ SMS_PROVIDER: 'twilio', TWILIO_AUTH_TOKEN: '' }))],
  ])('refuses %s with a 503', (_, choose) => {
    let thrown: unknown;
    try {
      choose();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Problem);
    expect((thrown as Problem).status).toBe(503);
    expect((thrown as Problem).code).toBe('messaging_unconfigured');
    expect(loggedLines()).toEqual([expect.objectContaining({ message: 'messaging unconfigured' })]);
  });

  it('picks the real providers when named', () => {
    expect(() => smsSender(envWith({ SMS_PROVIDER: 'twilio', APP_ENV: 'production' }))).not.toThrow();
    expect(() => emailSender(envWith({ EMAIL_PROVIDER: 'postmark', APP_ENV: 'production' }))).not.toThrow();
  });
});

describe('GET /api/dev/outbox', () => {
  /** The dev routes mounted as the real app will mount them, with its middleware and error handler. */
  function appUnderTest() {
    const app = new Hono<AppEnv>();
    app.use('*', requestId, secureHeaders);
    app.onError(onError);
    app.route('/api/dev', devRoutes);
    return app;
  }

  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

  async function keep(recipient: string, body: string, createdAt: number, subject: string | null = null) {
    await env.DB.prepare('INSERT INTO dev_outbox (id, channel, recipient, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(crypto.randomUUID(), subject === null ? 'sms' : 'email', recipient, subject, body, createdAt)
      .run();
  }

  it('does not exist outside development', async () => {
    await keep('+447700900100', 'secret code 123123', 1_000);
    const res = await appUnderTest().request('/api/dev/outbox', {}, envWith({ APP_ENV: 'production' }), ctx);

    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'not_found', status: 404 });
    expect(text).not.toContain('123123');
  });

  it('lists the newest messages first, filtered by recipient', async () => {
    await keep('+447700900200', 'older', 2_000);
    await keep('mia@example.com', 'newer', 3_000, 'Invite <b>');
    await keep('+447700900201', 'someone else', 4_000);
    const app = appUnderTest();

    const res = await app.request('/api/dev/outbox', {}, envWith({ APP_ENV: 'development' }), ctx);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const { messages } = (await res.json()) as { messages: Array<Record<string, unknown>> };
    const bodies = messages.map((m) => m.body);
    expect(bodies.indexOf('someone else')).toBeLessThan(bodies.indexOf('newer'));
    expect(bodies.indexOf('newer')).toBeLessThan(bodies.indexOf('older'));
    expect(messages.find((m) => m.body === 'newer')).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      channel: 'email',
      recipient: 'mia@example.com',
      subject: 'Invite <b>',
      body: 'newer',
      createdAt: 3_000,
    });

    const filtered = await app.request('/api/dev/outbox?recipient=%2B447700900200', {}, env, ctx);
    expect(((await filtered.json()) as { messages: Array<{ body: string }> }).messages.map((m) => m.body)).toEqual(['older']);
  });

  it('returns at most the 50 newest', async () => {
    for (let i = 0; i < 55; i++) await keep('bulk@example.com', `bulk ${i}`, 10_000 + i, 'Bulk');
    const res = await appUnderTest().request('/api/dev/outbox?recipient=bulk@example.com', {}, env, ctx);
    const { messages } = (await res.json()) as { messages: Array<{ body: string }> };
    expect(messages).toHaveLength(50);
    expect(messages[0]?.body).toBe('bulk 54');
    expect(messages[49]?.body).toBe('bulk 5');
  });

  it('refuses an empty recipient filter', async () => {
    const res = await appUnderTest().request('/api/dev/outbox?recipient=', {}, env, ctx);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'recipient' }] });
  });

  it('renders an escaped HTML page for a browser, with no script or style', async () => {
    await keep('eve@example.com', '<script>alert("x")</script> & co', 5_000, 'Hi <img src=x onerror=alert(1)>');
    const res = await appUnderTest().request(
      '/api/dev/outbox?recipient=eve@example.com',
      { headers: { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } },
      env,
      ctx,
    );

    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'self'");
    const page = await res.text();
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(page).toContain('Hi &lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('eve@example.com');
    expect(page).not.toMatch(/<script|<img|<style|style=/i);
  });
});
