import type { Context } from 'hono';
import { emailSender, smsSender } from '../messaging/index';
import type { EmailMessage } from '../messaging/types';
import type { AppEnv } from '../platform/context';

/** The words of every message sign-in sends. Links point at the app's own origin. */
export const texts = {
  code: (code: string) => `${code} is your Softphone code. It expires in 10 minutes. Never share it.`,
  phoneInvitation: (business: string, origin: string) =>
    `You're invited to ${business} on Softphone. Sign in with this number at ${origin}/signin/phone`,
  confirmSignup: (origin: string, token: string): Omit<EmailMessage, 'to'> => ({
    subject: 'Confirm your Softphone sign-up',
    text: `Confirm your email to start your free trial:\n\n${origin}/signup/confirm?token=${token}\n\nThe link works for 24 hours. If you did not sign up, ignore this email.`,
  }),
  alreadyRegistered: (origin: string): Omit<EmailMessage, 'to'> => ({
    subject: 'You already have a Softphone account',
    text: `Someone (hopefully you) tried to sign up with this email, which already has an account.\n\nSign in: ${origin}/signin\nForgot your password? ${origin}/forgot-password\n\nIf it was not you, you can ignore this email.`,
  }),
  passwordReset: (origin: string, token: string): Omit<EmailMessage, 'to'> => ({
    subject: 'Reset your Softphone password',
    text: `Choose a new password here:\n\n${origin}/reset-password?token=${token}\n\nThe link works for 1 hour and once. If you did not ask for it, ignore this email; your password is unchanged.`,
  }),
  invitation: (origin: string, business: string, token: string): Omit<EmailMessage, 'to'> => ({
    subject: `You're invited to ${business} on Softphone`,
    text: `${business} invited you to make and take calls on your business number with Softphone.\n\nAccept: ${origin}/invite?token=${token}\n\nThe invitation works for 7 days.`,
  }),
};

/**
 * Sends after the response, so that the answer's timing does not tell
 * whether an email went out (and to which kind of account). Failures are
 * logged; the person can ask again.
 */
export function sendEmailLater(c: Context<AppEnv>, message: EmailMessage): void {
  const log = c.get('log');
  // Inside the promise: a misconfigured sender is logged too, never thrown into the route.
  const send = async () => emailSender(c.env, { log }).sendEmail(message);
  c.executionCtx.waitUntil(send().catch((err: unknown) => log('error', 'email not sent', { error: String(err) })));
}

/** Sends an SMS now: a code that did not leave must be reported to the person waiting for it. */
export async function sendSmsNow(c: Context<AppEnv>, to: string, body: string): Promise<void> {
  await smsSender(c.env, { log: c.get('log') }).sendSms({ to, body });
}
