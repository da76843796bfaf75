import { Hono } from 'hono';
import { accepts } from 'hono/accepts';
import { html } from 'hono/html';
import { z } from 'zod';
import type { AppEnv } from '../platform/context';
import { problems } from '../platform/problem';
import { queryParams } from '../platform/validate';

/** One message the dev outbox kept, as the API lists it. */
export interface OutboxMessage {
  id: string;
  channel: 'sms' | 'email';
  recipient: string;
  subject: string | null;
  body: string;
  createdAt: number;
}

const OUTBOX_LIMIT = 50;

const outboxQuery = z.object({ recipient: z.string().trim().min(1).max(320).optional() });

/** Development-only tools, mounted at /api/dev; every route is a 404 outside development. */
export const devRoutes = new Hono<AppEnv>();

devRoutes.use('*', async (c, next) => {
  // The same answer as an unknown API path, so production does not reveal the routes exist.
  if (c.env.APP_ENV !== 'development') throw problems.notFound('API route');
  await next();
});

devRoutes.get('/outbox', async (c) => {
  const { recipient } = queryParams(c, outboxQuery);
  const filter = recipient === undefined ? '' : 'WHERE recipient = ?';
  const statement = c.env.DB.prepare(
    `SELECT id, channel, recipient, subject, body, created_at AS createdAt FROM dev_outbox ${filter}
     ORDER BY created_at DESC, rowid DESC LIMIT ${OUTBOX_LIMIT}`,
  );
  const { results: messages } = await (recipient === undefined ? statement : statement.bind(recipient)).all<OutboxMessage>();
  // The outbox holds sign-in codes and reset links.
  c.header('Cache-Control', 'no-store');
  const type = accepts(c, { header: 'Accept', supports: ['application/json', 'text/html'], default: 'application/json' });
  if (type === 'text/html') return c.html(outboxPage(messages, recipient));
  return c.json({ messages });
});

// hono/html escapes every interpolated value; the CSP forbids inline script and style, so there is none.
function outboxPage(messages: OutboxMessage[], recipient: string | undefined) {
  const rows = messages.map(
    (m) => html`<tr>
  <td>${new Date(m.createdAt).toISOString()}</td>
  <td>${m.channel}</td>
  <td>${m.recipient}</td>
  <td>${m.subject ?? ''}</td>
  <td><pre>${m.body}</pre></td>
</tr>`,
  );
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Dev outbox</title></head>
<body>
<h1>Dev outbox</h1>
<p>The ${OUTBOX_LIMIT} newest messages${recipient === undefined ? '' : html` to ${recipient}`}, newest first. Nothing here was sent.</p>
${
  messages.length === 0
    ? html`<p>The outbox is empty.</p>`
    : html`<table border="1">
<thead><tr><th>When (UTC)</th><th>Channel</th><th>To</th><th>Subject</th><th>Body</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}
</body>
</html>`;
}
