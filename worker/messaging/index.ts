import type { Logger } from '../platform/log';
import { Problem } from '../platform/problem';
import { outboxEmailSender, outboxSmsSender } from './dev-outbox';
import { postmarkEmailSender } from './postmark-email';
import type { ProviderCallOptions } from './provider-http';
import { twilioSmsSender } from './twilio-sms';
import type { EmailSender, SmsSender } from './types';

export type { EmailMessage, EmailSender, SentMessage, SmsMessage, SmsSender } from './types';

/** The SMS sender `SMS_PROVIDER` names: `twilio`, or `outbox` in development only. */
export function smsSender(env: Env, options: ProviderCallOptions = {}): SmsSender {
  switch (env.SMS_PROVIDER) {
    case 'twilio':
      return twilioSmsSender(
        {
          apiBase: required(env, 'TWILIO_API_BASE', 'sms', options.log),
          accountSid: required(env, 'TWILIO_ACCOUNT_SID', 'sms', options.log),
          authToken: required(env, 'TWILIO_AUTH_TOKEN', 'sms', options.log),
          from: required(env, 'SMS_FROM', 'sms', options.log),
        },
        options,
      );
    case 'outbox':
      developmentOnly(env, 'sms', options.log);
      return outboxSmsSender(env.DB);
    default:
      throw unconfigured('sms', `unknown SMS_PROVIDER ${JSON.stringify(env.SMS_PROVIDER)}`, options.log);
  }
}

/** The email sender `EMAIL_PROVIDER` names: `postmark`, or `outbox` in development only. */
export function emailSender(env: Env, options: ProviderCallOptions = {}): EmailSender {
  switch (env.EMAIL_PROVIDER) {
    case 'postmark':
      return postmarkEmailSender(
        {
          apiBase: required(env, 'POSTMARK_API_BASE', 'email', options.log),
          serverToken: required(env, 'POSTMARK_SERVER_TOKEN', 'email', options.log),
          from: required(env, 'EMAIL_FROM', 'email', options.log),
        },
        options,
      );
    case 'outbox':
      developmentOnly(env, 'email', options.log);
      return outboxEmailSender(env.DB);
    default:
      throw unconfigured('email', `unknown EMAIL_PROVIDER ${JSON.stringify(env.EMAIL_PROVIDER)}`, options.log);
  }
}

type Channel = 'sms' | 'email';

// A production deployment left on the outbox would swallow every sign-in code.
function developmentOnly(env: Env, channel: Channel, log: Logger | undefined): void {
  if (env.APP_ENV !== 'development') throw unconfigured(channel, `the outbox is for development only (APP_ENV is ${env.APP_ENV})`, log);
}

function required<K extends keyof Env>(env: Env, name: K, channel: Channel, log: Logger | undefined): string {
  const value = env[name];
  if (typeof value !== 'string' || value.trim() === '') throw unconfigured(channel, `${name} is not set`, log);
  return value;
}

// The reason names configuration, so it goes to the log only; the client learns that sending is not set up.
function unconfigured(channel: Channel, reason: string, log: Logger | undefined): Problem {
  const line = { channel, reason };
  if (log) log('error', 'messaging unconfigured', line);
  else console.error(JSON.stringify({ level: 'error', message: 'messaging unconfigured', ...line }));
  const what = channel === 'sms' ? 'Text messages' : 'Emails';
  return new Problem(503, 'messaging_unconfigured', 'Messaging is not available', `${what} cannot be sent from this server right now.`);
}
