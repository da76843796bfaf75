import type { EmailMessage, EmailSender, SentMessage, SmsMessage, SmsSender } from './types';

/** Keeps a text message in the local dev outbox (`dev_outbox`) instead of sending it. */
export function outboxSmsSender(db: D1Database): SmsSender {
  return { sendSms: (message: SmsMessage) => keep(db, 'sms', message.to, null, message.body) };
}

/** Keeps an email in the local dev outbox; the plain-text part is what a developer reads. */
export function outboxEmailSender(db: D1Database): EmailSender {
  return { sendEmail: (message: EmailMessage) => keep(db, 'email', message.to, message.subject, message.text) };
}

async function keep(
  db: D1Database,
  channel: 'sms' | 'email',
  recipient: string,
  subject: string | null,
  body: string,
): Promise<SentMessage> {
  const id = crypto.randomUUID();
  await db
    .prepare('INSERT INTO dev_outbox (id, channel, recipient, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(id, channel, recipient, subject, body, Date.now())
    .run();
  return { id };
}
