// Twilio Programmable Messaging, "Create a Message resource":
// https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
// POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic
// AccountSid:AuthToken, a form-encoded To/From/Body. 201 answers the message
// with its `sid`; an error answers {code, message, more_info, status}.

import { apiUrl, type ProviderCallOptions, type ProviderIdentity, postWithRetry, readJson, sendFailed } from './provider-http';
import type { SentMessage, SmsMessage, SmsSender } from './types';

/** What the Twilio adapter needs; the token is a secret and never leaves the request's header. */
export interface TwilioConfig {
  apiBase: string;
  accountSid: string;
  authToken: string;
  /** An E.164 number (or sender id) owned by the account. */
  from: string;
}

const TWILIO: ProviderIdentity = { name: 'twilio', problemCode: 'sms_send_failed' };

/** Sends text messages through Twilio's REST API. */
export function twilioSmsSender(config: TwilioConfig, options: ProviderCallOptions = {}): SmsSender {
  const url = apiUrl(config.apiBase, `/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`);
  const authorization = `Basic ${btoa(`${config.accountSid}:${config.authToken}`)}`;
  return {
    async sendSms(message: SmsMessage): Promise<SentMessage> {
      const body = new URLSearchParams({ To: message.to, From: config.from, Body: message.body }).toString();
      const { response, attempts } = await postWithRetry(
        TWILIO,
        url,
        {
          headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body,
        },
        options,
      );
      const answer = await readJson(response);
      if (response.ok && typeof answer?.sid === 'string') return { id: answer.sid };
      throw sendFailed(TWILIO, options, {
        reason: response.ok ? 'unexpected_answer' : 'rejected',
        status: response.status,
        providerCode: answer?.code,
        providerMessage: answer?.message,
        attempts,
      });
    },
  };
}
