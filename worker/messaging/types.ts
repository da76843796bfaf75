/** A text message to one phone. */
export interface SmsMessage {
  /** E.164, e.g. +447700900123. */
  to: string;
  body: string;
}

/** An email to one address; `html` is optional, `text` is always sent. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** What a provider accepted: its own id for the message, for support and logs. */
export interface SentMessage {
  id: string;
}

/** Sends text messages (sign-in codes). */
export interface SmsSender {
  sendSms(message: SmsMessage): Promise<SentMessage>;
}

/** Sends emails (invitations, password resets). */
export interface EmailSender {
  sendEmail(message: EmailMessage): Promise<SentMessage>;
}
