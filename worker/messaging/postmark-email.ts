// Postmark Email API, "Send a single email":
// https://postmarkapp.com/developer/api/email-api
// POST {base}/email with the X-Postmark-Server-Token header and a JSON body
// {From, To, Subject, TextBody, HtmlBody?, MessageStream}. 200 answers
// {To, SubmittedAt, MessageID, ErrorCode: 0, Message: "OK"}; a refusal is a
// 4xx (422 for a bad request) with {ErrorCode, Message}.

import { apiUrl, type ProviderCallOptions, type ProviderIdentity, postWithRetry, readJson, sendFailed } from './provider-http';
import type { EmailMessage, EmailSender, SentMessage } from './types';

/** What the Postmark adapter needs; the token is a secret and never leaves the request's header. */
export interface PostmarkConfig {
  apiBase: string;
  serverToken: string;
  /** A confirmed sender signature, e.g. `Softphone <no-reply@example.com>`. */
  from: string;
}

const POSTMARK: ProviderIdentity = { name: 'postmark', problemCode: 'email_send_failed' };

/** Sends emails through Postmark's transactional stream. */
export function postmarkEmailSender(config: PostmarkConfig, options: ProviderCallOptions = {}): EmailSender {
  const url = apiUrl(config.apiBase, '/email');
  return {
    async sendEmail(message: EmailMessage): Promise<SentMessage> {
      const body = JSON.stringify({
        From: config.from,
        To: message.to,
        Subject: message.subject,
        TextBody: message.text,
        ...(message.html !== undefined ? { HtmlBody: message.html } : {}),
        // The default transactional stream; broadcasts would need their own.
        MessageStream: 'outbound',
      });
      const { response, attempts } = await postWithRetry(
        POSTMARK,
        url,
        {
          headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-Postmark-Server-Token': config.serverToken },
          body,
        },
        options,
      );
      const answer = await readJson(response);
      if (response.ok && answer?.ErrorCode === 0 && typeof answer.MessageID === 'string') return { id: answer.MessageID };
      throw sendFailed(POSTMARK, options, {
        reason: response.ok ? 'unexpected_answer' : 'rejected',
        status: response.status,
        providerCode: answer?.ErrorCode,
        providerMessage: answer?.Message,
        attempts,
      });
    },
  };
}
